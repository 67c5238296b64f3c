#if canImport(Glibc)
    import Glibc
#endif

/// The process's limit on open descriptors (`RLIMIT_NOFILE`, getrlimit(2)).
///
/// The soft limit is often 1024 while the hard limit allows far more; a server holding one descriptor per
/// client would run out at the soft one for no reason, so `--listen` and `wsc bench` raise it to the hard limit at start.
enum DescriptorLimit {
    /// Raises the soft limit to the hard one; returns the soft limit now in force, or `nil` if it could
    /// not be read.
    @discardableResult
    static func raiseToHardLimit() -> UInt64? {
        var limit = rlimit()
        guard getrlimit(descriptorResource, &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(descriptorResource, &raised) == 0 {
                return UInt64(raised.rlim_cur)
            }
        }
        return UInt64(limit.rlim_cur)
    }

    /// `RLIMIT_NOFILE` as the type getrlimit(2) takes: Swift imports the constant as an enum case and the
    /// parameter as an `Int32`.
    private static var descriptorResource: __rlimit_resource_t {
        __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    }
}
