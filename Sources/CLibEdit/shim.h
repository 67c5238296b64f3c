#ifndef WSC_CLIBEDIT_SHIM_H
#define WSC_CLIBEDIT_SHIM_H

/* wcwidth(3) is an X/Open function: glibc declares it only when asked. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include <stdio.h>
#include <wchar.h>
#include <wctype.h>
#include <histedit.h>

/*
 * libedit's own interface (el_*, history), not its readline emulation: the emulation keeps rl_line_buffer
 * pointing into a conversion buffer that el_line() reallocates, so a line longer than about 1 KB leaves it
 * dangling, and rl_callback_read_char then writes a NUL through it (heap corruption). Swift 6 refuses C global
 * variables and variadic functions, so the calls the terminal front end makes go through these wrappers. Only
 * the terminal thread calls them.
 */

/* How libedit measures a character on screen (its ct_visual_width): wcwidth for what iswprint accepts. */
static inline int wsc_wcwidth(wchar_t c) { return wcwidth(c); }
static inline int wsc_iswprint(wchar_t c) { return iswprint((wint_t)c); }
static inline int wsc_iswcntrl(wchar_t c) { return iswcntrl((wint_t)c); }

/* The C standard streams, for flushing stdout before writing to fd 1. */
static inline FILE *wsc_stdout(void) { return stdout; }

/* A function libedit calls to read one character: 1 and the character, 0 at end of file, -1 on an error. */
typedef int (*wsc_el_read_function)(EditLine *, wchar_t *);
/* A function libedit calls for the prompt. */
typedef char *(*wsc_el_prompt_function)(EditLine *);
/* A function bound to a key: returns one of the CC_* codes. */
typedef unsigned char (*wsc_el_key_function)(EditLine *, int);

/* Bound to keys wsc gives no meaning (Insert, the function keys): without a binding libedit would insert the
 * tail of their escape sequence ("~", "4~") into the line. */
static unsigned char wsc_el_ignore_key(EditLine *editor, int key) {
    (void)editor;
    (void)key;
    return CC_NORM;
}

/*
 * An editor on the standard streams with history: emacs keys, no signal handling by libedit (the front end
 * handles SIGINT, SIGTERM, SIGHUP, SIGTSTP and SIGWINCH itself and decides what Ctrl-C means), keystrokes read
 * by `read`, the prompt from `prompt`, the key bindings readline users expect (Home, End, Delete, Ctrl-, Alt- and
 * Shift- with the arrows), and Insert, Page Up, Page Down and the function keys
 * bound to nothing rather than typing "~". `context` is handed back by wsc_el_context. The caller adds its own
 * functions (wsc_el_add_function), then reads ~/.editrc (wsc_el_read_settings), which may change any of this.
 */
static inline EditLine *wsc_el_open(const char *name, History *entries, wsc_el_read_function read,
                                    wsc_el_prompt_function prompt, void *context) {
    EditLine *editor = el_init(name, stdin, stdout, stderr);
    if (editor == NULL) {
        return NULL;
    }
    el_set(editor, EL_CLIENTDATA, context);
    el_set(editor, EL_EDITOR, "emacs");
    el_set(editor, EL_SIGNAL, 0);
    el_set(editor, EL_HIST, history, entries);
    el_set(editor, EL_GETCFN, read);
    el_set(editor, EL_PROMPT, prompt);
    /* Rows of a wrapped line end in a line break, not in the terminal's automatic wrap: a terminal resized while
     * a line is drawn for the old width then only ever splits rows, never joins them, and the rows the REPL
     * erases can be counted (see DisplayWidth.rowAfterRewrap). */
    el_set(editor, EL_SETTC, "am", "no", NULL);
    el_set(editor, EL_SETTC, "xn", "no", NULL);
    el_set(editor, EL_BIND, "\\e[1~", "ed-move-to-beg", NULL);
    el_set(editor, EL_BIND, "\\e[4~", "ed-move-to-end", NULL);
    el_set(editor, EL_BIND, "\\e[7~", "ed-move-to-beg", NULL);
    el_set(editor, EL_BIND, "\\e[8~", "ed-move-to-end", NULL);
    el_set(editor, EL_BIND, "\\e[H", "ed-move-to-beg", NULL);
    el_set(editor, EL_BIND, "\\e[F", "ed-move-to-end", NULL);
    el_set(editor, EL_BIND, "\\e[1;5C", "em-next-word", NULL);
    el_set(editor, EL_BIND, "\\e[1;5D", "ed-prev-word", NULL);
    /* Alt and Shift with the arrows, Home and End, as xterm sends them: words, characters, history, ends. */
    el_set(editor, EL_BIND, "\\e[1;3C", "em-next-word", NULL);
    el_set(editor, EL_BIND, "\\e[1;3D", "ed-prev-word", NULL);
    el_set(editor, EL_BIND, "\\e[1;2A", "ed-prev-history", NULL);
    el_set(editor, EL_BIND, "\\e[1;3A", "ed-prev-history", NULL);
    el_set(editor, EL_BIND, "\\e[1;5A", "ed-prev-history", NULL);
    el_set(editor, EL_BIND, "\\e[1;2B", "ed-next-history", NULL);
    el_set(editor, EL_BIND, "\\e[1;3B", "ed-next-history", NULL);
    el_set(editor, EL_BIND, "\\e[1;5B", "ed-next-history", NULL);
    el_set(editor, EL_BIND, "\\e[1;2H", "ed-move-to-beg", NULL);
    el_set(editor, EL_BIND, "\\e[1;2F", "ed-move-to-end", NULL);
    el_set(editor, EL_ADDFN, "wsc-ignore", "do nothing", wsc_el_ignore_key);
    static const char *const ignored[] = {
        "\\e[2~", "\\e[5~", "\\e[6~", "\\eOP", "\\eOQ", "\\eOR", "\\eOS", "\\e[11~", "\\e[12~",
        "\\e[13~", "\\e[14~", "\\e[15~", "\\e[17~", "\\e[18~", "\\e[19~", "\\e[20~", "\\e[21~",
        "\\e[23~", "\\e[24~", "\\e[3;5~", "\\e[2;5~",
    };
    for (unsigned index = 0; index < sizeof ignored / sizeof ignored[0]; index++) {
        el_set(editor, EL_BIND, ignored[index], "wsc-ignore", NULL);
    }
    return editor;
}

/* Adds `function` as `name` and binds each of the `count` key sequences in `keys` to it. */
static inline void wsc_el_add_function(EditLine *editor, const char *name, const char *help, wsc_el_key_function function,
                                       const char *const *keys, int count) {
    el_set(editor, EL_ADDFN, name, help, function);
    for (int index = 0; index < count; index++) {
        el_set(editor, EL_BIND, keys[index], name, NULL);
    }
}

/* Reads ~/.editrc (section "wsc:"), which may change the editor (vi) and any binding. */
static inline void wsc_el_read_settings(EditLine *editor) { el_source(editor, NULL); }

/* The context pointer given to wsc_el_open. */
static inline void *wsc_el_context(EditLine *editor) {
    void *context = NULL;
    el_get(editor, EL_CLIENTDATA, &context);
    return context;
}

/* 1: raw mode, an empty line and the prompt drawn; el_wgets then handles one command per call. 0: cooked mode. */
static inline void wsc_el_set_unbuffered(EditLine *editor, int on) { el_set(editor, EL_UNBUFFERED, on); }

/* Draws the prompt and the line again, assuming the cursor at the start of the prompt's first row. */
static inline void wsc_el_redraw(EditLine *editor) { el_set(editor, EL_REFRESH); }

/* Whether the editor uses emacs keys (not vi, which an ~/.editrc can choose). */
static inline int wsc_el_is_emacs(EditLine *editor) {
    const char *name = NULL;
    return el_get(editor, EL_EDITOR, &name) == 0 && name != NULL && name[0] == 'e';
}

/* The terminal's width in columns, as libedit last learnt it. */
static inline int wsc_el_columns(EditLine *editor) {
    int columns = 0;
    if (el_get(editor, EL_GETTC, "co", &columns, (void *)0) != 0) {
        return 80;
    }
    return columns;
}

/* A history of at most `size` entries. */
static inline History *wsc_history_open(int size) {
    HistEvent event;
    History *entries = history_init();
    if (entries != NULL) {
        history(entries, &event, H_SETSIZE, size);
    }
    return entries;
}

/* Adds `line` as the newest entry. */
static inline void wsc_history_add(History *entries, const char *line) {
    HistEvent event;
    history(entries, &event, H_ENTER, line);
}

#endif
