;;; emacs_test.el --- Emacs with editors/emacs/mrsp-mode.el, as an author uses it  -*- lexical-binding: t; -*-

;;; Commentary:

;; Run by emacs_test.sh in batch mode: the mode comes on for .mrsp files,
;; highlights keywords, names, strings, comments and citations, keeps the
;; layout of a real policy when re-indenting, and its Flymake backend puts
;; each error of `mrspc check' at the line and column mrspc gives.  Reads
;; $MRSPC and $FIXTURES; prints one line per check and "N passed, N failed";
;; exits 1 on any failure.

;;; Code:

(require 'mrsp-mode)

(defvar mrsp-test-passed 0)
(defvar mrsp-test-failed 0)

(defun mrsp-test-check (ok what)
  "Count and print one check: OK is whether WHAT holds."
  (princ (format "%s - %s\n" (if ok "ok" "FAIL") what))
  (if ok (setq mrsp-test-passed (1+ mrsp-test-passed))
    (setq mrsp-test-failed (1+ mrsp-test-failed)))
  ok)

(defun mrsp-test-fixture (name)
  "The file NAME among the fixtures."
  (expand-file-name name (getenv "FIXTURES")))

(defun mrsp-test-face-at (text shift)
  "The face SHIFT characters into the first TEXT of the buffer."
  (goto-char (point-min))
  (if (search-forward text nil t)
      (let ((face (get-text-property (+ (match-beginning 0) shift) 'face)))
        (if (consp face) (car face) face))
    'no-match))

(defun mrsp-test-highlighting ()
  "Faces at chosen places of session.mrsp."
  (find-file (mrsp-test-fixture "session.mrsp"))
  (mrsp-test-check (eq major-mode 'mrsp-mode) "a .mrsp file opens in mrsp-mode")
  (font-lock-mode 1)
  (font-lock-ensure)
  (dolist (expect '(("# A small" 2 font-lock-comment-face)
                    ("\"Language server session\"" 3 font-lock-string-face)
                    ("criterion tumour" 0 font-lock-keyword-face)
                    ("criterion tumour" 10 font-lock-function-name-face)
                    ("exclude recent" 0 font-lock-keyword-face)
                    ("exclude recent" 8 font-lock-function-name-face)
                    ("any < indication" 0 font-lock-keyword-face)
                    ("within 3 months" 0 font-lock-builtin-face)
                    ("within 3 months" 7 font-lock-constant-face)
                    ("within 3 months" 9 font-lock-type-face)
                    ("2025-08-28" 6 font-lock-constant-face)
                    ("+0698T" 3 font-lock-constant-face)
                    ("glioma_grading [2]" 16 mrsp-citation-face)
                    ("inconclusive: true" 14 font-lock-constant-face)
                    ("expect medically" 0 font-lock-keyword-face)
                    ("indication in" 0 nil)
                    ("indication in" 11 font-lock-builtin-face)
                    ("has glioma_grading" 5 nil)))
    (let ((face (mrsp-test-face-at (nth 0 expect) (nth 1 expect))))
      (mrsp-test-check (eq face (nth 2 expect))
                       (format "'%s' +%d has %s (got %s)" (nth 0 expect) (nth 1 expect)
                               (nth 2 expect) face)))))

(defun mrsp-test-changed-lines (before)
  "How many lines of the buffer differ from the list of lines BEFORE."
  (let ((after (split-string (buffer-string) "\n")))
    (cl-count nil (cl-mapcar #'string= before after))))

(defun mrsp-test-indentation ()
  "Re-indenting keeps the house layout, and restores it from flat text."
  (dolist (name '("layout.mrsp" "session.mrsp"))
    (find-file (mrsp-test-fixture name))
    (let ((before (split-string (buffer-string) "\n")))
      (indent-region (point-min) (point-max))
      (mrsp-test-check (= 0 (mrsp-test-changed-lines before))
                       (format "indent-region keeps the layout of %s (%d lines changed)"
                               name (mrsp-test-changed-lines before)))
      (set-buffer-modified-p nil)))
  (find-file (mrsp-test-fixture "session.mrsp"))
  (let ((before (split-string (buffer-string) "\n")))
    (goto-char (point-min))
    (while (re-search-forward "^[ \t]+" nil t)
      (replace-match ""))
    (indent-region (point-min) (point-max))
    (mrsp-test-check (= 0 (mrsp-test-changed-lines before))
                     (format "indent-region re-indents a flattened session.mrsp (%d lines differ)"
                             (mrsp-test-changed-lines before)))
    (revert-buffer t t)))

(defun mrsp-test-check-output (file)
  "What `mrspc check --format=json FILE' reports, as a list of alists."
  (with-temp-buffer
    (call-process (getenv "MRSPC") nil '(t nil) nil "check" "--format=json" file)
    (goto-char (point-min))
    (let ((json-object-type 'alist) (json-array-type 'list) (json-key-type 'symbol))
      (json-read))))

(defun mrsp-test-flymake ()
  "The Flymake backend puts each error where `mrspc check' does."
  (let* ((file (mrsp-test-fixture "errors.mrsp"))
         (expected (mrsp-test-check-output file))
         (reported :none))
    (find-file file)
    (mrsp-test-check (memq #'mrsp-flymake flymake-diagnostic-functions)
                     "the mrspc backend is on flymake-diagnostic-functions")
    (mrsp-test-check (bound-and-true-p flymake-mode) "flymake-mode is on")
    (mrsp-flymake (lambda (diagnostics &rest _) (setq reported diagnostics)))
    (with-timeout (60 (mrsp-test-check nil "the backend reports within 60 seconds"))
      (while (eq reported :none)
        (accept-process-output nil 0.05)))
    (when (listp reported)
      (mrsp-test-check (= (length reported) (length expected))
                       (format "as many diagnostics as mrspc check (%d, %d)"
                               (length reported) (length expected)))
      (cl-loop for want in expected
               for got in reported
               for i from 1
               do (let* ((begin (flymake-diagnostic-beg got))
                         (line (line-number-at-pos begin))
                         (column (save-excursion (goto-char begin) (1+ (current-column)))))
                    (mrsp-test-check (and (= line (alist-get 'line want))
                                          (= column (alist-get 'column want)))
                                     (format "diagnostic %d is at %d:%d (got %d:%d)" i
                                             (alist-get 'line want) (alist-get 'column want)
                                             line column))
                    (mrsp-test-check (string-prefix-p (alist-get 'message want)
                                                      (flymake-diagnostic-text got))
                                     (format "diagnostic %d says \"%s\"" i
                                             (alist-get 'message want)))
                    (mrsp-test-check (eq (flymake-diagnostic-type got) :error)
                                     (format "diagnostic %d is an error" i))))
      (mrsp-test-check (string-match-p "did you mean 'conventional_imaging_inconclusive'"
                                       (flymake-diagnostic-text (car reported)))
                       "the 'did you mean' note is in the message"))))

(condition-case problem
    (progn
      (setq mrsp-mrspc-program (getenv "MRSPC"))
      (mrsp-test-highlighting)
      (mrsp-test-indentation)
      (mrsp-test-flymake))
  (error (mrsp-test-check nil (format "no Emacs error: %S" problem))))
(princ (format "%d passed, %d failed\n" mrsp-test-passed mrsp-test-failed))
(kill-emacs (if (> mrsp-test-failed 0) 1 0))

;;; emacs_test.el ends here
