import BackroomStorage
import BackroomTestSupport
import ServiceLifecycleTestKit
import Synchronization
import Testing

struct GroupCommitTests {
    final class Batches: Sendable {
        let sizes = Mutex<[Int]>([])
    }

    @Test func concurrentCommandsShareBatchesAndEachGetsItsOwnResult() async throws {
        let batches = Batches()
        // The first batch is written only once the others wait.
        let written = Gate()
        let queue = GroupCommit<Int, Int> { commands in
            batches.sizes.withLock { $0.append(commands.count) }
            await written.wait()
            return commands.map { $0 * 10 }
        }
        let results = try await queue.serving {
            try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for number in 0..<200 {
                    group.addTask { (number, try await queue.submit(number)) }
                }
                _ = await Poll.until { await queue.queued + batches.sizes.withLock { $0.reduce(0, +) } == 200 }
                written.open()
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
        }
        #expect(results.count == 200)
        #expect(results.allSatisfy { $0.value == $0.key * 10 })
        let sizes = batches.sizes.withLock { $0 }
        #expect(sizes.reduce(0, +) == 200)
        #expect(sizes.count < 200)
    }

    @Test func aFailedBatchFailsEachOfItsCommands() async throws {
        struct Broken: Error {}
        let queue = GroupCommit<Int, Int> { _ in throw Broken() }
        try await queue.serving {
            await #expect(throws: Broken.self) { try await queue.submit(1) }
            await #expect(throws: Broken.self) { try await queue.submit(2) }
        }
    }

    @Test func batchesAreCappedInSize() async throws {
        let batches = Batches()
        let written = Gate()
        let queue = GroupCommit<Int, Int>(maximumBatch: 8) { commands in
            batches.sizes.withLock { $0.append(commands.count) }
            await written.wait()
            return commands
        }
        try await queue.serving {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for number in 0..<50 { group.addTask { try await queue.submit(number) } }
                _ = await Poll.until { await queue.queued + batches.sizes.withLock { $0.reduce(0, +) } == 50 }
                written.open()
                try await group.waitForAll()
            }
        }
        #expect(batches.sizes.withLock { $0.reduce(0, +) } == 50)
        #expect(batches.sizes.withLock { $0.allSatisfy { $0 <= 8 } })
    }
}

struct GroupCommitWritersTests {
    final class Overlap: Sendable {
        let state = Mutex<(now: Int, most: Int)>((0, 0))
    }

    @Test func severalWritersOverlapButNeverMoreThanAllowed() async throws {
        let overlap = Overlap()
        let queue = GroupCommit<Int, Int>(writers: 3, maximumBatch: 2) { commands in
            overlap.state.withLock {
                $0.now += 1
                $0.most = max($0.most, $0.now)
            }
            // Each batch waits (a while at most) for the others, so a fourth writer, if there
            // were one, would be seen, and three are seen however slow the machine is.
            _ = await Poll.until(within: .seconds(2), every: .milliseconds(5)) { overlap.state.withLock { $0.now >= 3 } }
            overlap.state.withLock { $0.now -= 1 }
            return commands
        }
        try await queue.serving {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for number in 0..<40 { group.addTask { try await queue.submit(number) } }
                try await group.waitForAll()
            }
        }
        #expect(overlap.state.withLock { $0.most } == 3)
    }
}

struct GroupCommitLifecycleTests {
    @Test func whatIsQueuedAtShutdownIsWrittenAndWhatComesAfterIsRefused() async throws {
        let written = Gate()
        let batches = GroupCommitTests.Batches()
        let queue = GroupCommit<Int, Int> { commands in
            batches.sizes.withLock { $0.append(commands.count) }
            await written.wait()
            return commands
        }
        try await testGracefulShutdown { shutdown in
            let serving = Task { try await queue.run() }
            async let first = queue.submit(1)
            async let second = queue.submit(2)
            // Both taken (queued, or in the batch being written) when the shutdown comes.
            _ = await Poll.until { await queue.queued + batches.sizes.withLock { $0.reduce(0, +) } == 2 }
            shutdown.triggerGracefulShutdown()
            written.open()
            #expect(try await [first, second] == [1, 2])
            try await serving.value
            await #expect(throws: GroupCommit<Int, Int>.Stopped.self) { try await queue.submit(3) }
        }
    }
}

extension GroupCommit {
    /// Runs `body` while the queue's writers run, as a service group would.
    func serving<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }
}
