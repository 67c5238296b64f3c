import WSDeflate
import XCTest

/// The server's side of RFC 7692 section 5: picking an offer and answering it.
final class ServerNegotiationTests: XCTestCase {
    private typealias Parameters = PerMessageDeflateParameters

    func testChoosesTheFirstAcceptableOffer() {
        let table: [(offers: String, expected: Parameters?, response: String?)] = [
            ("", nil, nil),
            ("x-webkit-deflate-frame", nil, nil),
            ("permessage-deflate", Parameters(), "permessage-deflate"),
            ("permessage-deflate; client_max_window_bits", Parameters(), "permessage-deflate"),
            (
                "permessage-deflate; client_max_window_bits=12",
                Parameters(clientMaxWindowBits: 12),
                "permessage-deflate; client_max_window_bits=12"
            ),
            (
                "permessage-deflate; server_max_window_bits=10; client_max_window_bits=12; "
                    + "server_no_context_takeover; client_no_context_takeover",
                Parameters(
                    clientNoContextTakeover: true,
                    serverNoContextTakeover: true,
                    clientMaxWindowBits: 12,
                    serverMaxWindowBits: 10
                ),
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
                    + "server_max_window_bits=10; client_max_window_bits=12"
            ),
            // Invalid offers are declined (RFC 7692 section 5.1) and the next one is considered.
            (
                "permessage-deflate; server_max_window_bits=7, permessage-deflate; client_no_context_takeover",
                Parameters(clientNoContextTakeover: true),
                "permessage-deflate; client_no_context_takeover"
            ),
            (
                "permessage-deflate; unknown, permessage-deflate; server_max_window_bits=8",
                Parameters(serverMaxWindowBits: 8),
                "permessage-deflate; server_max_window_bits=8"
            ),
            ("x-webkit-deflate-frame, permessage-deflate", Parameters(), "permessage-deflate"),
            ("permessage-deflate; server_max_window_bits", nil, nil),
            ("permessage-deflate; server_no_context_takeover; server_no_context_takeover", nil, nil),
            ("permessage-deflate; client_no_context_takeover=yes", nil, nil),
            // A header we cannot parse has no offer we can trust.
            ("permessage-deflate; client_max_window_bits=\"1", nil, nil),
        ]
        for (offers, expected, response) in table {
            let accepted = Parameters.accepting(offers: offers)
            XCTAssertEqual(accepted, expected, "offers: \(offers)")
            XCTAssertEqual(accepted?.responseHeaderValue, response, "offers: \(offers)")
        }
    }

    /// Whatever a client offers, our server's answer is one our client accepts, with the same parameters.
    func testOurClientAcceptsOurServersAnswers() throws {
        let windows: [PerMessageDeflateOffer.ClientMaxWindowBits] = [.omitted, .withoutValue, .value(8), .value(15)]
        for clientReset in [false, true] {
            for serverReset in [false, true] {
                for clientWindow in windows {
                    for serverWindow in [nil, 8, 11, 15] {
                        let offer = PerMessageDeflateOffer(
                            clientNoContextTakeover: clientReset,
                            serverNoContextTakeover: serverReset,
                            clientMaxWindowBits: clientWindow,
                            serverMaxWindowBits: serverWindow
                        )
                        let accepted = try XCTUnwrap(Parameters.accepting(offers: offer.headerValue))
                        let negotiated = try offer.negotiate(response: accepted.responseHeaderValue)
                        XCTAssertEqual(negotiated, accepted, "offer: \(offer.headerValue)")
                    }
                }
            }
        }
    }
}
