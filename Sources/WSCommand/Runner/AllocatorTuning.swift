#if os(Linux)
    import CMalloc

    /// glibc's allocator settings for wsc (`mallopt(3)`), applied before any other thread starts.
    ///
    /// Message buffers are allocated on one thread (the stdin reader, the event loop) and freed on another.
    /// With glibc's defaults every thread gets an arena that keeps what was freed into it, and buffers of a
    /// few MiB are mapped fresh and unmapped again, each page faulting in zeroed on first use; after the
    /// first such free glibc raises its mapping threshold and the buffers land in whichever arena. Peak memory
    /// for 1 MiB messages then swung between 21 and 32 MiB from one run to the next. One arena, and buffers up
    /// to 32 MiB reused from the heap (with up to 64 MiB of free heap kept rather than returned), hold it near
    /// 22 MiB and are faster too. Larger buffers (a message near the 64 MiB limit) are still mapped and
    /// returned on free.
    enum AllocatorTuning {
        /// Applies the settings; false if this glibc refused one.
        @discardableResult
        static func apply() -> Bool {
            [
                mallopt(M_ARENA_MAX, 1),
                mallopt(M_MMAP_THRESHOLD, 32 << 20),
                mallopt(M_TRIM_THRESHOLD, 64 << 20),
            ].allSatisfy { $0 == 1 }
        }
    }
#endif
