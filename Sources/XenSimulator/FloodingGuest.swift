// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux

/// A hostile guest on another vCPU: a second thread that runs `body` over and
/// over until `stop`, while the backend works on the main thread — e.g.
/// rewriting ring indices and request slots in a page it shares. The single-
/// threaded simulation cannot show what a frontend does *during* a
/// `handleEvent`; this can. `body` must touch only shared guest memory (through
/// `SharedMemory`), never the simulator, which is not thread-safe; continuous
/// notifications come from `XenSimulator.storm`.
package final class FloodingGuest {
    private let body: (UInt64) -> Void
    private let flags = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
    private let counter = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    private var thread: UInt64 = 0
    private var running = false

    package init(_ body: @escaping (_ iteration: UInt64) -> Void) {
        self.body = body
        flags.initialize(to: 0)
        counter.initialize(to: 0)
    }

    deinit {
        stop()
        flags.deallocate()
        counter.deallocate()
    }

    /// Iterations of `body` so far.
    package var iterations: UInt64 { clinux_atomic_add64(counter, 0) }

    /// Starts the thread (once).
    package func start() {
        guard !running else { return }
        clinux_atomic_store32(flags, 0)
        let context = Unmanaged.passUnretained(self).toOpaque()
        let result = clinux_thread_spawn(&thread, { context in
            guard let context else { return }
            let guest = Unmanaged<FloodingGuest>.fromOpaque(context).takeUnretainedValue()
            guest.loop()
        }, context)
        precondition(result == 0, "pthread_create failed")
        running = true
    }

    /// Stops the thread and waits for it.
    package func stop() {
        guard running else { return }
        clinux_atomic_store32(flags, 1)
        _ = clinux_thread_join(thread)
        running = false
    }

    private func loop() {
        var iteration: UInt64 = 0
        while clinux_atomic_load32(flags) == 0 {
            body(iteration)
            iteration &+= 1
            _ = clinux_atomic_add64(counter, 1)
        }
    }
}
