import XCTest

@testable import WSTLS

/// How a URL host becomes a TLS server name: SNI and name checks for DNS names, address checks for literals.
final class TLSServerNameTests: XCTestCase {
    func testDNSNamesLoseTheirRootDot() {
        XCTAssertEqual(TLSServerName(host: "example.com"), .dnsName("example.com"))
        XCTAssertEqual(TLSServerName(host: "example.com."), .dnsName("example.com"))
        // Only the root's dot: what is left is refused when the connection is made.
        XCTAssertEqual(TLSServerName(host: "example.com.."), .dnsName("example.com."))
    }

    func testAddressLiteralsAreAddresses() {
        XCTAssertEqual(TLSServerName(host: "127.0.0.1"), .ipAddress("127.0.0.1"))
        XCTAssertEqual(TLSServerName(host: "::1"), .ipAddress("::1"))
        XCTAssertEqual(TLSServerName(host: "[2001:db8::1]"), .ipAddress("2001:db8::1"))
    }

    func testNumericLookingNamesThatAreNotAddressesAreDNSNames() {
        XCTAssertEqual(TLSServerName(host: "1.2.3.4.example"), .dnsName("1.2.3.4.example"))
    }
}
