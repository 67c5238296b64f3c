#ifndef WSC_CLIBEDIT_SHIM_H
#define WSC_CLIBEDIT_SHIM_H

#include <stdio.h>
#include <editline/readline.h>

/*
 * Swift 6 refuses to touch C global variables (they are shared mutable state), so every readline global the
 * terminal front end reads or writes goes through one of these accessors. Only the terminal thread calls them.
 */

/* The C standard streams, for rl_instream / rl_outstream and for flushing stdout before writing to fd 1. */
static inline FILE *wsc_stdin(void) { return stdin; }
static inline FILE *wsc_stdout(void) { return stdout; }

/*
 * Settings that must be in place before readline initialises: our name (for ~/.editrc sections), the
 * standard streams, no signal handling by libedit (the front end handles SIGINT, SIGTERM, SIGHUP and SIGWINCH
 * itself and must decide what Ctrl-C means), and no filename completion on Tab.
 */
static inline void wsc_rl_configure(void) {
    rl_readline_name = "wsc";
    rl_instream = stdin;
    rl_outstream = stdout;
    rl_catch_signals = 0;
    rl_inhibit_completion = 1;
}

/* The line being edited, as of the last rl_callback_read_char: bytes, length and cursor offset. */
static inline const char *wsc_rl_line_buffer(void) { return rl_line_buffer; }
static inline int wsc_rl_end(void) { return rl_end; }
static inline int wsc_rl_point(void) { return rl_point; }

#endif
