function __wsc_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __wsc_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __wsc_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __wsc_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __wsc_parse_tokens -S
    set -l unparsed_tokens (__wsc_tokens -pc)
    switch $unparsed_tokens[1]
    case 'wsc'
        __wsc_parse_subcommand 1 'c/connect=' 'H/header=+' 'o/origin=' 's/subprotocol=+' 'auth=' 'L/location' 'max-redirs=' 'proxy=' 'noproxy=' 'unix-socket=' 'http2' 'http2-prior-knowledge' 'connect-timeout=' 'close-timeout=' 'ping-interval=' 'ping-timeout=' 'max-message-size=' 'no-compression' 'reconnect' 'reconnect-max=' 'x/execute=+' 'send-file=+' 'text' '0/null' 'w/wait=' 'binary' 'count=' '1/once' 'until=' 'max-time=' 'idle-timeout=' 'v/verbose' 'q/quiet' 'format=' 'timestamps' 'no-timestamps' 'color=' 'no-color' 'events' 'P/show-ping-pong' 'k/insecure' 'cacert=' 'cert=' 'key=' 'tls-servername=' 'tlsv1.2' 'tlsv1.3' 'tls-max=' 'echo' 'l/listen=' 'max-clients=' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'bench'
            __wsc_parse_subcommand 1 'c/connections=' 'connect-rate=' 'd/duration=' 'n/messages=' 'warmup=' 'r/rate=' 'pipeline=' 'size=' 'm/message=' 'message-file=' 'binary' 'match-json-field=' 'x/execute=+' 'format=' 'max-p99=' 'max-errors=' 'q/quiet' 'H/header=+' 'o/origin=' 's/subprotocol=+' 'auth=' 'L/location' 'max-redirs=' 'proxy=' 'noproxy=' 'unix-socket=' 'http2' 'http2-prior-knowledge' 'connect-timeout=' 'close-timeout=' 'ping-interval=' 'ping-timeout=' 'max-message-size=' 'no-compression' 'reconnect' 'reconnect-max=' 'k/insecure' 'cacert=' 'cert=' 'key=' 'tls-servername=' 'tlsv1.2' 'tlsv1.3' 'tls-max=' 'version' 'h/help'
        case 'help'
            __wsc_parse_subcommand -r 1 'version'
        end
    end
end

function __wsc_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __wsc_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __wsc_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __wsc_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__wsc_tokens -p)
    if test -z "$(__wsc_tokens -t)"
        set -l index (count (__wsc_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'wsc' -f
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" c connect' -s 'c' -l 'connect' -d 'The server URL (wscat\'s spelling).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc"' -s 'H' -l 'header' -d 'Add a request header; repeatable. Replaces wsc\'s Host, User-Agent, Origin or Authorization header (and, with --no-compression, may name Sec-WebSocket-Extensions); the handshake\'s own headers (Upgrade, Connection, Sec-WebSocket-Key, -Version, -Protocol: use -s) and a body\'s cannot be set.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" o origin' -s 'o' -l 'origin' -d 'Send this Origin header.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc"' -s 's' -l 'subprotocol' -d 'Offer a subprotocol; repeatable, in order of preference.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" auth' -l 'auth' -d 'HTTP Basic credentials (also accepted as user:pass@ in the URL).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" L location' -s 'L' -l 'location' -d 'Follow the server\'s redirects (3xx with a Location), as curl -L does; credentials and -H headers go along only to the same scheme, host and port, and a redirect from wss:// to ws:// is refused.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" max-redirs' -l 'max-redirs' -d 'With -L, give up after this many redirects (0 to 1000).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" proxy' -l 'proxy' -d 'Connect through this proxy: http://[user:pass@]host[:port] (CONNECT) or socks5h://[user:pass@]host[:port]; the port defaults to 1080. Without it, http_proxy (ws://), https_proxy (wss://) or all_proxy apply, as in curl; \'\' uses no proxy at all.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" noproxy' -l 'noproxy' -d 'Connect to these hosts directly, replacing no_proxy: host names (with the names under them), IP addresses, CIDR ranges, each with an optional :port, separated by commas; * for all.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" unix-socket' -l 'unix-socket' -d 'Connect to this Unix domain socket instead of the URL\'s host and port, which still name the server.' -rF
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" http2' -l 'http2' -d 'Open the WebSocket as a stream of an HTTP/2 connection (RFC 8441) for a wss:// URL: ALPN must select h2 and the server must allow extended CONNECT, or the handshake fails (exit 4); there is no fallback to HTTP/1.1. Not with -L. Example: wsc --http2 wss://example.com/chat'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" http2-prior-knowledge' -l 'http2-prior-knowledge' -d 'As --http2, for a ws:// URL: HTTP/2 without TLS (h2c), spoken from the first byte, as curl\'s option of that name. Example: wsc --http2-prior-knowledge ws://localhost:8080/chat'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" connect-timeout' -l 'connect-timeout' -d 'Give up connecting (DNS, TCP and handshake) after this long: 0.001 to 31536000 seconds (a year) (default: 30).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" close-timeout' -l 'close-timeout' -d 'After sending Close, wait this long for the server\'s Close (counted from the last frame received): 0.001 to 31536000 seconds (a year) (default: 5).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" ping-interval' -l 'ping-interval' -d 'Send a ping this often, so that proxies and NATs keep an idle connection open: 0.05 to 31536000 seconds (a year).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" ping-timeout' -l 'ping-timeout' -d 'With --ping-interval: drop the connection (exit 7) when nothing arrives within this long of a ping: 0.001 to 31536000 seconds (a year).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" max-message-size' -l 'max-message-size' -d 'Largest message accepted; larger ones close with 1009. Suffixes K, M, G; 1 to 4294967295 bytes (default: 64M, or 16M with --listen).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" no-compression' -l 'no-compression' -d 'Do not offer (or, with --listen, accept) permessage-deflate compression; it is on by default.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" reconnect' -l 'reconnect' -d 'When the connection fails or drops (refused, reset, a hang-up, a ping timeout, Close 1001, 1006, 1011-1014, a 429 or 503 answer), connect again after a growing, jittered wait (0.5 s doubling up to 30 s; a Retry-After is honoured); -x messages are sent again on each connection.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" reconnect-max' -l 'reconnect-max' -d 'With --reconnect, give up after this many attempts in a row (1 to 1000000; default: no limit).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc"' -s 'x' -l 'execute' -d 'Send this message after connecting, then close (stdin is not read); repeatable, and sent in command-line order with --send-file.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc"' -l 'send-file' -d 'Send this file as one message, binary unless --text; - is all of stdin. Like -x: repeatable, stdin lines are not read, and -w decides when to close.' -rF
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" text' -l 'text' -d 'Send the files of --send-file as text messages (each must be UTF-8) instead of binary.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" 0 null' -s '0' -l 'null' -d 'Split stdin into messages at NUL bytes instead of newlines (find -print0); records may hold newlines.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" w wait' -s 'w' -l 'wait' -d 'After the last input (EOF or the last -x), close once the server has sent nothing for this long: 0 to 31536000 seconds (a year); 0 closes at once, -1 waits until the server closes.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" binary' -l 'binary' -d 'Send input lines as binary messages instead of text.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" count' -l 'count' -d 'After this many received messages, close (1000) and exit 0; later messages are not printed: 1 to 2147483647.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" 1 once' -s '1' -l 'once' -d 'Same as --count 1: print one message, then close and exit.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" until' -l 'until' -d 'Print messages as usual; when a text message matches this POSIX extended regular expression (as grep -E), close (1000) and exit 0. A binary message never matches.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" max-time' -l 'max-time' -d 'Give the whole run (connecting included) at most this long; then close (1000) and exit 9: 0.001 to 31536000 seconds (a year).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" idle-timeout' -l 'idle-timeout' -d 'When no message arrives for this long (pings and pongs do not count), close (1000) and exit 10: 0.001 to 31536000 seconds (a year).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" v verbose' -s 'v' -l 'verbose' -d 'Show the TLS session and the handshake\'s headers on stderr.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" q quiet' -s 'q' -l 'quiet' -d 'Print no status lines (close reports) on stderr; errors still show.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" format' -l 'format' -d 'Print received messages as raw (text and a newline, binary bytes as they are) or jsonl (one JSON object per message, binary data in base64). Either one prints to stdout without the interactive session, even on a terminal.' -rfka 'raw jsonl'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" timestamps' -l 'timestamps' -d 'Prefix received messages with the time (default: on in the REPL, off in pipe mode).'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" no-timestamps' -l 'no-timestamps' -d 'Prefix received messages with the time (default: on in the REPL, off in pipe mode).'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" color' -l 'color' -d 'Colour the interactive output: auto (a terminal without NO_COLOR), always, never.' -rfka 'auto always never'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" no-color' -l 'no-color' -d 'Same as --color never.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" events' -l 'events' -d 'With --format jsonl: also write the handshake (open), pings and pongs (with -P), the close and every error as JSON objects, in order with the messages.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" P show-ping-pong' -s 'P' -l 'show-ping-pong' -d 'Report pings and pongs, with the round trip of a pong that answers a --ping-interval ping: on stderr, or as events with --format jsonl --events.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" insecure k' -s 'k' -l 'insecure' -d 'Do not verify the server\'s certificate or name (for testing; prints a warning).'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" cacert' -l 'cacert' -d 'Trust the CA certificates in this PEM file instead of the system store (wsc --cacert ca.pem wss://localhost:8443/).' -rF
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" cert' -l 'cert' -d 'Present this PEM client certificate (and chain) to servers that ask for one (--cert me.pem --key me.key).' -rF
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" key' -l 'key' -d 'The unencrypted PEM private key of --cert; without it the key is read from the --cert file.' -rF
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" tls-servername' -l 'tls-servername' -d 'Send this name in SNI and verify the certificate against it instead of the URL\'s host (wss://127.0.0.1:8443/ --tls-servername example.com).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" tlsv1.2' -l 'tlsv1.2' -d 'Use TLS 1.2 or newer (the default; curl\'s spelling).'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" tlsv1.3' -l 'tlsv1.3' -d 'Use TLS 1.3 only: refuse servers that offer no more than TLS 1.2.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" tls-max' -l 'tls-max' -d 'Offer no TLS version newer than this: 1.2 or 1.3 (to test a server\'s TLS 1.2).' -rfka '1.2 1.3'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" echo' -l 'echo' -d 'Send every received message back with the same type instead of reading stdin, until the peer closes. With --listen: an echo server.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" l listen' -s 'l' -l 'listen' -d 'Be a server: accept WebSocket clients on [host:]port (host 127.0.0.1 unless given; 0.0.0.0 for every interface). Their messages go to stdout, stdin lines to every client.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" max-clients' -l 'max-clients' -d 'With --listen, the most connections open at once (1 to 1000000; default: 1024). At the limit a new one replaces the oldest still in its handshake, or is answered 503.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" version' -l 'version' -d 'Show the version.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_positional "wsc" -eq 1' -fa 'bench' -d 'Load-test a WebSocket server: many connections, round-trip percentiles, rates.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_positional "wsc" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" c connections' -s 'c' -l 'connections' -d 'Open this many connections (1 to 1000000; default: 1), spread over one event loop per core.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" connect-rate' -l 'connect-rate' -d 'Open this many connections per second (ramp-up); default: all at once.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" d duration' -s 'd' -l 'duration' -d 'Send for this long after the warm-up (default: 10, unless -n): 0.001 to 31536000 seconds (a year).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" messages n' -s 'n' -l 'messages' -d 'Send this many messages in all, spread over the connections.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" warmup' -l 'warmup' -d 'Send for this long first without reporting it (the messages are measured, not counted).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" r rate' -s 'r' -l 'rate' -d 'Send this many messages per second in all, by the clock (spread over the connections); a round trip counts from when its message was due. Without it, send as fast as the server answers.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" pipeline' -l 'pipeline' -d 'Without --rate: keep this many messages in flight on each connection (default: 1).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" size' -l 'size' -d 'Send generated messages of this size, carrying a sequence number and send time that an echo server returns (at least 32; default: 32). Suffixes K, M.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" m message' -s 'm' -l 'message' -d 'Send this message every time; replies are matched in order, one per message, unless --match-json-field.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" message-file' -l 'message-file' -d 'Send this file\'s contents every time, as -m does.' -rF
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" binary' -l 'binary' -d 'Send binary messages instead of text.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" match-json-field' -l 'match-json-field' -d 'The message is a JSON object: put each message\'s sequence number in this top-level field, and match a reply by the same value in the same field (a JSON-RPC server\'s id).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench"' -s 'x' -l 'execute' -d 'Send this message first on each connection, as a login; repeatable. Its replies count as unmatched.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" format' -l 'format' -d 'Write the report as a table or as one JSON document.' -rfka 'table json'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" max-p99' -l 'max-p99' -d 'Exit 11 when the 99th percentile round trip is longer than this.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" max-errors' -l 'max-errors' -d 'Allow this many errors (failed or dropped connections, lost messages); exit 11 with more. Without it, any error fails the run.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" q quiet' -s 'q' -l 'quiet' -d 'Show no live status line on stderr.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench"' -s 'H' -l 'header' -d 'Add a request header; repeatable. Replaces wsc\'s Host, User-Agent, Origin or Authorization header (and, with --no-compression, may name Sec-WebSocket-Extensions); the handshake\'s own headers (Upgrade, Connection, Sec-WebSocket-Key, -Version, -Protocol: use -s) and a body\'s cannot be set.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" o origin' -s 'o' -l 'origin' -d 'Send this Origin header.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench"' -s 's' -l 'subprotocol' -d 'Offer a subprotocol; repeatable, in order of preference.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" auth' -l 'auth' -d 'HTTP Basic credentials (also accepted as user:pass@ in the URL).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" L location' -s 'L' -l 'location' -d 'Follow the server\'s redirects (3xx with a Location), as curl -L does; credentials and -H headers go along only to the same scheme, host and port, and a redirect from wss:// to ws:// is refused.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" max-redirs' -l 'max-redirs' -d 'With -L, give up after this many redirects (0 to 1000).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" proxy' -l 'proxy' -d 'Connect through this proxy: http://[user:pass@]host[:port] (CONNECT) or socks5h://[user:pass@]host[:port]; the port defaults to 1080. Without it, http_proxy (ws://), https_proxy (wss://) or all_proxy apply, as in curl; \'\' uses no proxy at all.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" noproxy' -l 'noproxy' -d 'Connect to these hosts directly, replacing no_proxy: host names (with the names under them), IP addresses, CIDR ranges, each with an optional :port, separated by commas; * for all.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" unix-socket' -l 'unix-socket' -d 'Connect to this Unix domain socket instead of the URL\'s host and port, which still name the server.' -rF
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" http2' -l 'http2' -d 'Open the WebSocket as a stream of an HTTP/2 connection (RFC 8441) for a wss:// URL: ALPN must select h2 and the server must allow extended CONNECT, or the handshake fails (exit 4); there is no fallback to HTTP/1.1. Not with -L. Example: wsc --http2 wss://example.com/chat'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" http2-prior-knowledge' -l 'http2-prior-knowledge' -d 'As --http2, for a ws:// URL: HTTP/2 without TLS (h2c), spoken from the first byte, as curl\'s option of that name. Example: wsc --http2-prior-knowledge ws://localhost:8080/chat'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" connect-timeout' -l 'connect-timeout' -d 'Give up connecting (DNS, TCP and handshake) after this long: 0.001 to 31536000 seconds (a year) (default: 30).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" close-timeout' -l 'close-timeout' -d 'After sending Close, wait this long for the server\'s Close (counted from the last frame received): 0.001 to 31536000 seconds (a year) (default: 5).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" ping-interval' -l 'ping-interval' -d 'Send a ping this often, so that proxies and NATs keep an idle connection open: 0.05 to 31536000 seconds (a year).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" ping-timeout' -l 'ping-timeout' -d 'With --ping-interval: drop the connection (exit 7) when nothing arrives within this long of a ping: 0.001 to 31536000 seconds (a year).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" max-message-size' -l 'max-message-size' -d 'Largest message accepted; larger ones close with 1009. Suffixes K, M, G; 1 to 4294967295 bytes (default: 64M, or 16M with --listen).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" no-compression' -l 'no-compression' -d 'Do not offer (or, with --listen, accept) permessage-deflate compression; it is on by default.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" reconnect' -l 'reconnect' -d 'When the connection fails or drops (refused, reset, a hang-up, a ping timeout, Close 1001, 1006, 1011-1014, a 429 or 503 answer), connect again after a growing, jittered wait (0.5 s doubling up to 30 s; a Retry-After is honoured); -x messages are sent again on each connection.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" reconnect-max' -l 'reconnect-max' -d 'With --reconnect, give up after this many attempts in a row (1 to 1000000; default: no limit).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" insecure k' -s 'k' -l 'insecure' -d 'Do not verify the server\'s certificate or name (for testing; prints a warning).'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" cacert' -l 'cacert' -d 'Trust the CA certificates in this PEM file instead of the system store (wsc --cacert ca.pem wss://localhost:8443/).' -rF
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" cert' -l 'cert' -d 'Present this PEM client certificate (and chain) to servers that ask for one (--cert me.pem --key me.key).' -rF
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" key' -l 'key' -d 'The unencrypted PEM private key of --cert; without it the key is read from the --cert file.' -rF
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" tls-servername' -l 'tls-servername' -d 'Send this name in SNI and verify the certificate against it instead of the URL\'s host (wss://127.0.0.1:8443/ --tls-servername example.com).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" tlsv1.2' -l 'tlsv1.2' -d 'Use TLS 1.2 or newer (the default; curl\'s spelling).'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" tlsv1.3' -l 'tlsv1.3' -d 'Use TLS 1.3 only: refuse servers that offer no more than TLS 1.2.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" tls-max' -l 'tls-max' -d 'Offer no TLS version newer than this: 1.2 or 1.3 (to test a server\'s TLS 1.2).' -rfka '1.2 1.3'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" version' -l 'version' -d 'Show the version.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc bench" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc help" version' -l 'version' -d 'Show the version.'
