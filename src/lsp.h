/* lsp.h - the language server: 'mrspc lsp', for editors.
 *
 * Speaks the Language Server Protocol over standard input and output
 * (JSON-RPC framed by Content-Length headers).  Each open document is
 * checked whole on every change by the same front end as 'mrspc check', so
 * an editor shows the same errors at the same places; hover, go to
 * definition, completion and document symbols come from the checked
 * program.  See lsp.c for the protocol subset and its limits.
 */
#ifndef MRSPC_LSP_H
#define MRSPC_LSP_H

/* The 'lsp' command: serves until the client sends 'exit' or closes its
 * end.  Returns 0 after 'shutdown' then 'exit', 1 when the client went away
 * without 'shutdown' (as the protocol asks), 2 on a usage error. */
int command_lsp(int argc, char **argv);

#endif
