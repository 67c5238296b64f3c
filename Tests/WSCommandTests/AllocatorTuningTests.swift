import XCTest

@testable import WSCommand

#if os(Linux)
    /// The allocator settings are ones this glibc accepts: mallopt(3) returns 0 for an unknown option or a
    /// value out of range (a mapping threshold above 32 MiB, say), and wsc would then run with the defaults.
    final class AllocatorTuningTests: XCTestCase {
        func testGlibcAcceptsEverySetting() {
            XCTAssertTrue(AllocatorTuning.apply())
        }
    }
#endif
