import NIOEmbedded
import XCTest

@testable import WSEngine
@testable import WSTerminal

/// ``ClientRegistry``, the one list of the clients of `--listen`: waiting for the first client is woken by
/// the client itself, the listener stopping, or cancellation, never by polling.
final class ClientRegistryTests: XCTestCase {
    /// The channel of the clients' writers, made and finished on the thread of `setUp` and `tearDown` (an
    /// embedded channel belongs to the thread that made it), and finished, or it would hold its pipeline.
    private var channel: EmbeddedChannel?

    override func setUp() {
        self.channel = EmbeddedChannel()
    }

    override func tearDown() {
        _ = try? self.channel?.finish()
        self.channel = nil
    }

    private func makeWriter() throws -> SessionWriter {
        SessionWriter(try XCTUnwrap(self.channel))
    }

    func testWaitingForAClientEndsWhenOneIsAdded() async throws {
        let registry = ClientRegistry()
        let waiting = Task { try await registry.waitForClient() }
        try await self.waitUntilSomeTaskWaits(in: registry)
        XCTAssertEqual(registry.count, 0)
        let added = try XCTUnwrap(registry.add(try self.makeWriter()))
        try await waiting.value
        XCTAssertEqual(registry.count, 1)
        XCTAssertEqual(registry.waitingTasks, 0)
        registry.remove(added.id)
        XCTAssertEqual(registry.count, 0)
    }

    func testWaitingForAClientEndsWhenTheListenerStops() async throws {
        let registry = ClientRegistry()
        let waiting = Task { try await registry.waitForClient() }
        try await self.waitUntilSomeTaskWaits(in: registry)
        XCTAssertTrue(registry.stop().isEmpty)
        try await waiting.value
        XCTAssertNil(registry.add(try self.makeWriter()), "no client is taken once stopping")
        XCTAssertEqual(registry.count, 0)
    }

    func testWaitingForAClientThrowsWhenCancelled() async throws {
        let registry = ClientRegistry()
        let waiting = Task { try await registry.waitForClient() }
        try await self.waitUntilSomeTaskWaits(in: registry)
        waiting.cancel()
        do {
            try await waiting.value
            XCTFail("the wait ended without a client")
        } catch is CancellationError {
            XCTAssertEqual(registry.waitingTasks, 0)
        }
    }

    func testABroadcastToNobodyDoesNotWait() async {
        let registry = ClientRegistry()
        await registry.broadcast([.text(.init(string: "to nobody"))])
        XCTAssertEqual(registry.waitingTasks, 0)
    }

    /// Waits until a task waits in `registry`: the moment to make what it waits for happen.
    private func waitUntilSomeTaskWaits(in registry: ClientRegistry) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while registry.waitingTasks == 0 {
            guard ContinuousClock.now < deadline else {
                return XCTFail("no task ever waited")
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}
