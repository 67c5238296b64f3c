import WSTerminal
import XCTest

final class InteractiveOptionsTests: XCTestCase {
    func testHistoryUsesXDGStateHomeFirst() {
        XCTAssertEqual(
            InteractiveOptions.defaultHistoryFile(environment: ["XDG_STATE_HOME": "/state", "HOME": "/home/ann"]),
            "/state/wsc/history"
        )
        XCTAssertEqual(
            InteractiveOptions.defaultHistoryFile(environment: ["XDG_STATE_HOME": "/state/"]),
            "/state/wsc/history"
        )
    }

    func testHistoryFallsBackToLocalStateUnderHome() {
        XCTAssertEqual(
            InteractiveOptions.defaultHistoryFile(environment: ["HOME": "/home/ann"]),
            "/home/ann/.local/state/wsc/history"
        )
        XCTAssertEqual(
            InteractiveOptions.defaultHistoryFile(environment: ["HOME": "/home/ann/"]),
            "/home/ann/.local/state/wsc/history"
        )
    }

    func testRelativeOrEmptyXDGStateHomeIsIgnored() {
        XCTAssertEqual(
            InteractiveOptions.defaultHistoryFile(environment: ["XDG_STATE_HOME": "state", "HOME": "/root"]),
            "/root/.local/state/wsc/history"
        )
        XCTAssertEqual(
            InteractiveOptions.defaultHistoryFile(environment: ["XDG_STATE_HOME": "", "HOME": "/root"]),
            "/root/.local/state/wsc/history"
        )
    }

    func testNoHistoryWithoutAUsableVariable() {
        XCTAssertNil(InteractiveOptions.defaultHistoryFile(environment: [:]))
        XCTAssertNil(InteractiveOptions.defaultHistoryFile(environment: ["HOME": ""]))
        XCTAssertNil(InteractiveOptions.defaultHistoryFile(environment: ["HOME": "relative"]))
    }

    func testDefaults() {
        let options = InteractiveOptions()
        XCTAssertFalse(options.colors)
        XCTAssertTrue(options.timestamps)
        XCTAssertNil(options.historyFile)
        let explicit = InteractiveOptions(colors: true, timestamps: false, historyFile: "/tmp/h")
        XCTAssertTrue(explicit.colors)
        XCTAssertFalse(explicit.timestamps)
        XCTAssertEqual(explicit.historyFile, "/tmp/h")
    }
}
