;;; mrsp-mode.el --- Major mode for mrsp coverage policies  -*- lexical-binding: t; -*-

;; Keywords: languages
;; Package-Requires: ((emacs "26.1"))

;;; Commentary:

;; Editing .mrsp files, the executable coverage policies of mrspc:
;; highlighting, indentation in the layout of the shipped policies, and
;; errors as you type from a Flymake backend that runs `mrspc check' on the
;; buffer (saved or not).  With Eglot, M-x eglot starts `mrspc lsp' for
;; hover, go to definition and completion.
;;
;;   (add-to-list 'load-path "/path/to/mrspc/editors/emacs")
;;   (require 'mrsp-mode)
;;
;; `mrsp-mrspc-program' names the mrspc executable (default: on PATH).
;; M-x compile with "mrspc check FILE" works too: its messages are in the
;; GNU form compilation-mode already reads.

;;; Code:

(require 'flymake)
(require 'json)

(defgroup mrsp nil
  "Editing mrsp coverage policies."
  :group 'languages
  :prefix "mrsp-")

(defcustom mrsp-mrspc-program "mrspc"
  "The mrspc executable: a name on `exec-path' or a file name."
  :type 'string)

(defcustom mrsp-include-dirs nil
  "Directories where `use' looks first (mrspc's -I option)."
  :type '(repeat directory))

(defcustom mrsp-indent-offset 2
  "Columns of one level of indentation."
  :type 'integer)

(defcustom mrsp-enable-flymake t
  "Whether `mrsp-mode' turns on Flymake, checking the buffer as you type."
  :type 'boolean)

(defface mrsp-citation-face
  '((t :inherit font-lock-constant-face :slant italic))
  "Face for citations such as [2-4].")

;;;; Highlighting

(defconst mrsp--declarations
  '("policy" "references" "use" "enum" "fact" "criterion" "test"))
(defconst mrsp--rules
  '("applies" "refer" "investigational" "exclude" "require" "note"))
(defconst mrsp--groups '("all" "any" "not"))
(defconst mrsp--operators
  '("at" "least" "most" "of" "in" "has" "is" "between" "and" "within"
    "before" "after" "on" "or" "more" "less" "than" "to" "when"))
(defconst mrsp--test-words '("expect" "missing" "notes" "rule"))
(defconst mrsp--constants '("true" "false" "unknown"))
(defconst mrsp--types
  '("bool" "int" "date" "code" "set"
    "day" "days" "week" "weeks" "month" "months" "year" "years"))

(defconst mrsp--name "\\([A-Za-z_][A-Za-z0-9_]*\\)")

(defconst mrsp-font-lock-keywords
  `((,(regexp-opt (append mrsp--declarations mrsp--rules mrsp--groups mrsp--test-words)
                  'symbols)
     . font-lock-keyword-face)
    (,(regexp-opt mrsp--operators 'symbols) . font-lock-builtin-face)
    (,(regexp-opt mrsp--constants 'symbols) . font-lock-constant-face)
    (,(regexp-opt mrsp--types 'symbols) . font-lock-type-face)
    ;; names being defined
    (,(concat "\\_<\\(?:criterion\\|policy\\|test\\)[ \t]+" mrsp--name)
     1 font-lock-function-name-face)
    (,(concat "\\_<fact[ \t]+" mrsp--name) 1 font-lock-variable-name-face)
    (,(concat "^[ \t]*enum[ \t]+" mrsp--name) 1 font-lock-type-face)
    ;; a rule's or note's name is followed by its words or '='
    (,(concat "\\_<" (regexp-opt mrsp--rules) "[ \t]+" mrsp--name "[ \t\n]*[\"=]")
     1 font-lock-function-name-face)
    ("\\[[ \t]*[0-9]+\\(?:[ \t]*-[ \t]*[0-9]+\\)?\\(?:[ \t]*,[ \t]*[0-9]+\\(?:[ \t]*-[ \t]*[0-9]+\\)?\\)*[ \t]*\\]"
     . 'mrsp-citation-face)
    ("\\_<[0-9]\\{4\\}-[0-9]\\{2\\}\\(?:-[0-9]\\{2\\}\\)?\\_>" . font-lock-constant-face)
    ("[+]?\\_<[0-9]+[A-Za-z][A-Za-z0-9_]*\\_>" . font-lock-constant-face)
    ("\\_<[0-9]+\\_>" . font-lock-constant-face))
  "What `mrsp-mode' highlights: the words of mrspc's scanner (grammar/mrsp.l).")

(defvar mrsp-mode-syntax-table
  (let ((table (make-syntax-table)))
    (modify-syntax-entry ?# "<" table)
    (modify-syntax-entry ?\n ">" table)
    (modify-syntax-entry ?\" "\"" table)
    (modify-syntax-entry ?\\ "\\" table)
    ;; '<' and '>' only ever bracket groups: comparisons are worded
    (modify-syntax-entry ?< "(>" table)
    (modify-syntax-entry ?> ")<" table)
    ;; a name is letters, digits and '_'; the rest is punctuation
    (modify-syntax-entry ?_ "_" table)
    (dolist (char '(?- ?+ ?* ?/ ?= ?& ?| ?$ ?% ?' ?: ?\; ?,))
      (modify-syntax-entry char "." table))
    table)
  "Syntax table for `mrsp-mode'.")

;;;; Indentation
;;
;; The layout of the shipped policies, as rules: inside a group or set an
;; item lines up with the text just after the open '<' or '{' (or goes one
;; level deeper than the statement when nothing follows the bracket); a
;; line starting with '>' or '}' goes back to its statement; at the top
;; level a declaration starts in column 0 and its continuation lines are one
;; level in; the lines of a string keep their indentation.

(defconst mrsp--declaration-start
  (concat "[ \t]*" (regexp-opt (append mrsp--declarations mrsp--rules) 'symbols)))

(defun mrsp--line-starts-declaration-p ()
  "Whether the current line starts a declaration, outside a string."
  (save-excursion
    (beginning-of-line)
    (and (looking-at mrsp--declaration-start)
         (not (nth 8 (syntax-ppss (match-beginning 1)))))))

(defun mrsp--previous-code-line ()
  "Move to the previous line with code (not blank, not only a comment).
Return point, or nil at the start of the buffer."
  (let (found)
    (while (and (not found) (zerop (forward-line -1)))
      (unless (looking-at "[ \t]*\\(?:#.*\\)?$")
        (setq found (point))))
    found))

(defun mrsp--code-end ()
  "The end of the current line's code, before any comment and blanks."
  (save-excursion
    (end-of-line)
    (let ((ppss (syntax-ppss)))
      (when (nth 4 ppss)
        (goto-char (nth 8 ppss))))
    (skip-chars-backward " \t")
    (point)))

(defun mrsp--line-ends-with-p (characters)
  "Whether the current line's code ends with one of CHARACTERS (a string)."
  (let ((end (mrsp--code-end)))
    (and (> end (line-beginning-position))
         (memq (char-before end) (string-to-list characters)))))

(defun mrsp--statement-indentation (open)
  "The indentation of the statement holding the bracket at OPEN."
  (save-excursion
    (goto-char open)
    (if (nth 1 (syntax-ppss open))
        (current-indentation)
      (while (and (not (mrsp--line-starts-declaration-p)) (zerop (forward-line -1))))
      (if (mrsp--line-starts-declaration-p)
          (current-indentation)
        (goto-char open)
        (current-indentation)))))

(defun mrsp--policy-field-indentation (open)
  "The column of a policy field's first value, when its values run on to
this line inside the policy block opened at OPEN; nil otherwise."
  (save-excursion
    (let ((here (line-beginning-position)))
      (goto-char open)
      (when (looking-back "^[ \t]*policy[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]*"
                          (line-beginning-position))
        (goto-char here)
        (when (and (mrsp--previous-code-line) (> (point) open) (mrsp--line-ends-with-p ","))
          (while (save-excursion
                   (and (mrsp--previous-code-line) (> (point) open)
                        (mrsp--line-ends-with-p ",")))
            (mrsp--previous-code-line))
          (back-to-indentation)
          (when (looking-at "[A-Za-z_][A-Za-z0-9_]*[ \t]+")
            (goto-char (match-end 0))
            (current-column)))))))

(defun mrsp--after-bracket (open)
  "The column for an item inside the bracket at OPEN."
  (save-excursion
    (goto-char (1+ open))
    (skip-chars-forward " \t")
    (if (or (eolp) (eq (char-after) ?#))
        (+ (mrsp--statement-indentation open) mrsp-indent-offset)
      (current-column))))

(defun mrsp--top-level-indentation ()
  "The column for a line outside every bracket."
  (cond ((mrsp--line-starts-declaration-p) 0)
        ((save-excursion
           (or (not (mrsp--previous-code-line)) (mrsp--line-ends-with-p ";}")))
         0)
        (t mrsp-indent-offset)))

(defun mrsp--indentation ()
  "The column the current line should start at, or nil to leave it."
  (save-excursion
    (back-to-indentation)
    (let* ((ppss (syntax-ppss (line-beginning-position)))
           (open (nth 1 ppss)))
      (cond ((nth 3 ppss) nil)
            ((null open) (mrsp--top-level-indentation))
            ((looking-at "[]>}]") (mrsp--statement-indentation open))
            ((mrsp--policy-field-indentation open))
            (t (mrsp--after-bracket open))))))

(defun mrsp-indent-line ()
  "Indent the current line as the shipped policies are laid out."
  (interactive)
  (let ((column (mrsp--indentation)))
    (when column
      (if (<= (current-column) (current-indentation))
          (indent-line-to column)
        (save-excursion (indent-line-to column))))))

;;;; Flymake: mrspc check on the buffer

(defvar-local mrsp--flymake-process nil
  "The running `mrspc check' of this buffer, if any.")

(defun mrsp--command ()
  "The `mrspc check' command line, reading the buffer from standard input."
  (append (list mrsp-mrspc-program "check" "--format=json" "--color=never")
          (mapcan (lambda (dir) (list "-I" (expand-file-name dir))) mrsp-include-dirs)
          (list "-")))

(defun mrsp--position (line column)
  "The buffer position of 1-based LINE and character COLUMN, as mrspc counts."
  (save-excursion
    (save-restriction
      (widen)
      (goto-char (point-min))
      (forward-line (1- line))
      (min (+ (point) (max 0 (1- column))) (line-end-position)))))

(defun mrsp--report-text (report)
  "The message of REPORT with its notes, as `mrspc check' prints them."
  (mapconcat
   #'identity
   (cons (alist-get 'message report)
         (mapcar (lambda (note)
                   (let ((file (alist-get 'file note)))
                     (if file
                         (format "note: %s (%s:%s:%s)" (alist-get 'message note)
                                 (file-name-nondirectory file) (alist-get 'line note)
                                 (alist-get 'column note))
                       (concat "note: " (alist-get 'message note)))))
                 (alist-get 'notes report)))
   "\n"))

(defun mrsp--diagnostic (source report)
  "A Flymake diagnostic in SOURCE for one REPORT of `mrspc check --format=json'.
A report about another file (a module brought in with `use') is shown on
the first line, with its place."
  (with-current-buffer source
    (let* ((here (equal (alist-get 'file report) "<stdin>"))
           (begin (if here (mrsp--position (alist-get 'line report) (alist-get 'column report))
                    (point-min)))
           (end (if here (mrsp--position (alist-get 'end_line report)
                                         (alist-get 'end_column report))
                  begin))
           (text (mrsp--report-text report)))
      (when (<= end begin)
        (setq end (min (point-max) (1+ begin))))
      (unless here
        (setq text (format "%s:%s:%s: %s" (or (alist-get 'file report) "mrspc")
                           (or (alist-get 'line report) "") (or (alist-get 'column report) "")
                           text)))
      (flymake-make-diagnostic source begin end
                               (pcase (alist-get 'severity report)
                                 ("error" :error) ("warning" :warning) (_ :note))
                               text))))

(defun mrsp--read-reports (buffer)
  "The JSON array `mrspc check' wrote into BUFFER, as a list of alists."
  (with-current-buffer buffer
    (goto-char (point-min))
    (let ((json-object-type 'alist)
          (json-array-type 'list)
          (json-key-type 'symbol))
      (condition-case nil (json-read) (error nil)))))

(defun mrsp--flymake-done (process source report-fn)
  "Report the diagnostics of PROCESS, a check of SOURCE, to REPORT-FN."
  (unwind-protect
      (if (and (buffer-live-p source)
               (eq process (buffer-local-value 'mrsp--flymake-process source)))
          (funcall report-fn (mapcar (lambda (report) (mrsp--diagnostic source report))
                                     (mrsp--read-reports (process-buffer process))))
        (flymake-log :debug "dropping an outdated check"))
    (kill-buffer (process-buffer process))))

;;;###autoload
(defun mrsp-flymake (report-fn &rest _args)
  "Flymake backend: check the buffer with `mrspc check', report to REPORT-FN."
  (unless (executable-find mrsp-mrspc-program)
    (error "Cannot find mrspc (%s): set `mrsp-mrspc-program'" mrsp-mrspc-program))
  (when (process-live-p mrsp--flymake-process)
    (kill-process mrsp--flymake-process))
  (let ((source (current-buffer))
        ;; `use' looks beside the file being checked
        (default-directory (if buffer-file-name
                               (file-name-directory buffer-file-name)
                             default-directory)))
    (setq mrsp--flymake-process
          (make-process
           :name "mrsp-flymake"
           :noquery t
           :connection-type 'pipe
           :buffer (generate-new-buffer " *mrsp-flymake*")
           :stderr (get-buffer-create " *mrsp-flymake-stderr*")
           :command (mrsp--command)
           :sentinel (lambda (process _event)
                       (unless (process-live-p process)
                         (mrsp--flymake-done process source report-fn)))))
    (save-restriction
      (widen)
      (process-send-region mrsp--flymake-process (point-min) (point-max)))
    (process-send-eof mrsp--flymake-process)))

;;;; Eglot: mrspc lsp

(defun mrsp--eglot-contact (&rest _)
  "How Eglot starts the language server."
  (append (list mrsp-mrspc-program "lsp")
          (mapcan (lambda (dir) (list "-I" (expand-file-name dir))) mrsp-include-dirs)))

(with-eval-after-load 'eglot
  (defvar eglot-server-programs)
  (add-to-list 'eglot-server-programs '(mrsp-mode . mrsp--eglot-contact)))

;;;; The mode

;;;###autoload
(define-derived-mode mrsp-mode prog-mode "mrsp"
  "Major mode for mrsp coverage policies, the input of mrspc."
  :syntax-table mrsp-mode-syntax-table
  (setq-local comment-start "# ")
  (setq-local comment-start-skip "#+[ \t]*")
  (setq-local comment-end "")
  (setq-local font-lock-defaults '(mrsp-font-lock-keywords))
  (setq-local indent-line-function #'mrsp-indent-line)
  (setq-local indent-tabs-mode nil)
  (setq-local electric-indent-chars (append '(?> ?}) electric-indent-chars))
  ;; this backend and the global ones, less the old file-name-based checker,
  ;; which has nothing for .mrsp files
  (setq-local flymake-diagnostic-functions
              (cons #'mrsp-flymake
                    (remq 'flymake-proc-legacy-flymake
                          (default-value 'flymake-diagnostic-functions))))
  (when mrsp-enable-flymake
    (flymake-mode 1)))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.mrsp\\'" . mrsp-mode))

(provide 'mrsp-mode)

;;; mrsp-mode.el ends here
