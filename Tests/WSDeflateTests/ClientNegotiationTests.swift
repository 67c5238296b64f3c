import WSDeflate
import XCTest

/// The client's side of RFC 7692 section 5: offers as header values, and server responses judged against them.
final class ClientNegotiationTests: XCTestCase {
    private typealias Parameters = PerMessageDeflateParameters
    private typealias Error = PerMessageDeflateError

    func testOfferHeaderValues() {
        XCTAssertEqual(PerMessageDeflateOffer.standard.headerValue, "permessage-deflate; client_max_window_bits")
        XCTAssertEqual(PerMessageDeflateOffer().headerValue, "permessage-deflate; client_max_window_bits")
        XCTAssertEqual(PerMessageDeflateOffer(clientMaxWindowBits: .omitted).headerValue, "permessage-deflate")
        let everything = PerMessageDeflateOffer(
            clientNoContextTakeover: true,
            serverNoContextTakeover: true,
            clientMaxWindowBits: .value(12),
            serverMaxWindowBits: 10
        )
        XCTAssertEqual(
            everything.headerValue,
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; "
                + "client_max_window_bits=12"
        )
    }

    /// Responses to the standard offer, `permessage-deflate; client_max_window_bits`.
    func testResponsesToTheStandardOffer() {
        let table: [(response: String, expected: Result<Parameters?, Error>)] = [
            ("", .success(nil)),
            ("  ", .success(nil)),
            (" , ,", .success(nil)),
            ("permessage-deflate", .success(Parameters())),
            ("permessage-deflate, ", .success(Parameters())),
            ("PerMessage-Deflate", .success(Parameters())),
            ("permessage-deflate; client_max_window_bits=10", .success(Parameters(clientMaxWindowBits: 10))),
            ("permessage-deflate;client_max_window_bits=\"8\"", .success(Parameters(clientMaxWindowBits: 8))),
            ("permessage-deflate ;\tclient_max_window_bits = 15 ", .success(Parameters(clientMaxWindowBits: 15))),
            ("permessage-deflate; server_max_window_bits=9", .success(Parameters(serverMaxWindowBits: 9))),
            ("permessage-deflate; Server_Max_Window_Bits=9", .success(Parameters(serverMaxWindowBits: 9))),
            (
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                .success(Parameters(clientNoContextTakeover: true, serverNoContextTakeover: true))
            ),
            (
                "permessage-deflate; client_no_context_takeover; server_max_window_bits=12; client_max_window_bits=11",
                .success(Parameters(clientNoContextTakeover: true, clientMaxWindowBits: 11, serverMaxWindowBits: 12))
            ),
            ("x-webkit-deflate-frame", .failure(.extensionNotOffered("x-webkit-deflate-frame"))),
            ("permessage-deflate, foo; bar=1", .failure(.extensionNotOffered("foo"))),
            ("permessage-deflate, permessage-deflate", .failure(.duplicateExtension)),
            ("permessage-deflate; mode=fast", .failure(.unknownParameter("mode"))),
            (
                "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
                .failure(.duplicateParameter("server_no_context_takeover"))
            ),
            (
                "permessage-deflate; client_max_window_bits=9; CLIENT_MAX_WINDOW_BITS=9",
                .failure(.duplicateParameter("client_max_window_bits"))
            ),
            (
                "permessage-deflate; server_no_context_takeover=1",
                .failure(.invalidParameterValue("server_no_context_takeover", "1"))
            ),
            (
                "permessage-deflate; client_no_context_takeover=\"true\"",
                .failure(.invalidParameterValue("client_no_context_takeover", "true"))
            ),
            (
                "permessage-deflate; client_max_window_bits",
                .failure(.invalidParameterValue("client_max_window_bits", nil))
            ),
            (
                "permessage-deflate; server_max_window_bits",
                .failure(.invalidParameterValue("server_max_window_bits", nil))
            ),
            (
                "permessage-deflate; client_max_window_bits=16",
                .failure(.invalidParameterValue("client_max_window_bits", "16"))
            ),
            (
                "permessage-deflate; server_max_window_bits=7",
                .failure(.invalidParameterValue("server_max_window_bits", "7"))
            ),
            (
                "permessage-deflate; server_max_window_bits=09",
                .failure(.invalidParameterValue("server_max_window_bits", "09"))
            ),
            (
                "permessage-deflate; server_max_window_bits=+9",
                .failure(.invalidParameterValue("server_max_window_bits", "+9"))
            ),
            (
                "permessage-deflate;",
                .failure(.malformedExtensionsHeader("expected a parameter name at the end"))
            ),
            (
                "permessage-deflate client_max_window_bits=10",
                .failure(.malformedExtensionsHeader("expected ',' or ';' at character 20, found 'c'"))
            ),
            (
                "permessage-deflate; client_max_window_bits=",
                .failure(.malformedExtensionsHeader("expected a parameter value at the end"))
            ),
            (
                "permessage-deflate; client_max_window_bits=\"1 0\"",
                .failure(.malformedExtensionsHeader("quoted value \"1 0\" is not a token"))
            ),
            (
                "permessage-deflate; client_max_window_bits=\"10",
                .failure(.malformedExtensionsHeader("unterminated quoted value at character 44"))
            ),
            (
                "; permessage-deflate",
                .failure(.malformedExtensionsHeader("expected an extension name at character 1, found ';'"))
            ),
        ]
        for (response, expected) in table {
            let actual = Result { () throws(Error) in try PerMessageDeflateOffer.standard.negotiate(response: response)
            }
            XCTAssertEqual(actual, expected, "response: \(response)")
        }
    }

    /// Responses judged against what each offer allowed (RFC 7692 sections 7.1.1 and 7.1.2).
    func testResponsesAgainstSpecificOffers() {
        let noClientWindow = PerMessageDeflateOffer(clientMaxWindowBits: .omitted)
        let clientWindow10 = PerMessageDeflateOffer(clientMaxWindowBits: .value(10))
        let serverWindow10 = PerMessageDeflateOffer(serverMaxWindowBits: 10)
        let serverReset = PerMessageDeflateOffer(serverNoContextTakeover: true)
        let clientReset = PerMessageDeflateOffer(clientNoContextTakeover: true)
        let table: [(offer: PerMessageDeflateOffer, response: String, expected: Result<Parameters?, Error>)] = [
            (noClientWindow, "permessage-deflate", .success(Parameters())),
            (
                noClientWindow, "permessage-deflate; client_max_window_bits=10",
                .failure(.parameterNotOffered("client_max_window_bits"))
            ),
            (
                noClientWindow, "permessage-deflate; client_max_window_bits",
                .failure(.parameterNotOffered("client_max_window_bits"))
            ),
            (clientWindow10, "permessage-deflate", .success(Parameters(clientMaxWindowBits: 10))),
            (
                clientWindow10, "permessage-deflate; client_max_window_bits=9",
                .success(Parameters(clientMaxWindowBits: 9))
            ),
            (
                clientWindow10, "permessage-deflate; client_max_window_bits=11",
                .failure(.windowBitsAboveOffer("client_max_window_bits", value: 11, offered: 10))
            ),
            (
                serverWindow10, "permessage-deflate",
                .failure(.offeredParameterMissing("server_max_window_bits"))
            ),
            (
                serverWindow10, "permessage-deflate; server_max_window_bits=10",
                .success(Parameters(serverMaxWindowBits: 10))
            ),
            (
                serverWindow10, "permessage-deflate; server_max_window_bits=8",
                .success(Parameters(serverMaxWindowBits: 8))
            ),
            (
                serverWindow10, "permessage-deflate; server_max_window_bits=11",
                .failure(.windowBitsAboveOffer("server_max_window_bits", value: 11, offered: 10))
            ),
            (
                serverReset, "permessage-deflate",
                .failure(.offeredParameterMissing("server_no_context_takeover"))
            ),
            (
                serverReset, "permessage-deflate; server_no_context_takeover",
                .success(Parameters(serverNoContextTakeover: true))
            ),
            // The offer's client_no_context_takeover is a promise even when the server does not echo it.
            (clientReset, "permessage-deflate", .success(Parameters(clientNoContextTakeover: true))),
            (
                clientReset, "permessage-deflate; client_no_context_takeover",
                .success(Parameters(clientNoContextTakeover: true))
            ),
        ]
        for (offer, response, expected) in table {
            let actual = Result { () throws(Error) in try offer.negotiate(response: response) }
            XCTAssertEqual(actual, expected, "offer: \(offer.headerValue), response: \(response)")
        }
    }

    func testErrorDescriptionsAreOneReadableLine() {
        let cases: [(Error, String)] = [
            (.extensionNotOffered("foo"), "server accepted extension 'foo', which was not offered"),
            (.duplicateExtension, "server accepted permessage-deflate more than once"),
            (
                .parameterNotOffered("client_max_window_bits"),
                "server sent permessage-deflate parameter 'client_max_window_bits', which was not offered"
            ),
            (
                .invalidParameterValue("server_max_window_bits", "16"),
                "permessage-deflate parameter 'server_max_window_bits' has invalid value '16'"
            ),
            (
                .windowBitsAboveOffer("server_max_window_bits", value: 12, offered: 10),
                "server chose server_max_window_bits=12, larger than the offered 10"
            ),
            (.limitExceeded, "compressed message is larger than the message size limit once decompressed"),
            (.corruptData("invalid block type"), "compressed message is corrupt: invalid block type"),
            (.zlibFailure("inflateInit2", code: -4), "zlib inflateInit2 failed with code -4 (out of memory)"),
        ]
        for (error, description) in cases {
            XCTAssertEqual(error.description, description)
            XCTAssertFalse(error.description.contains("\n"))
        }
    }
}
