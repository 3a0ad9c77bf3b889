import Foundation

/// `posix_spawn` as the tests' children need it: the caller's file actions (which close every
/// descriptor it does not pass on), and signals as a shell would leave them, default actions
/// and none blocked (the test process ignores SIGPIPE, which a child must not inherit).
enum Spawn {
    /// Starts `executable`; returns the child's pid or the spawn's error number.
    static func start(
        _ executable: URL, _ arguments: [String], environment: [String: String], actions: inout posix_spawn_file_actions_t, flags: Int32 = 0
    ) -> Result<pid_t, TestFailure> {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(flags | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable.path, &actions, &attributes, argv, envp)
        guard status == 0 else { return .failure(TestFailure("posix_spawn \(executable.path): \(String(cString: strerror(status)))")) }
        return .success(pid)
    }

    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// glibc's spawn actions that Swift's Glibc module does not export (glibc 2.34 and 2.29).
    static let closeFrom: CloseFrom = function("posix_spawn_file_actions_addclosefrom_np")
    static let changeDirectory: ChangeDirectory = function("posix_spawn_file_actions_addchdir_np")

    private static func function<T>(_ name: String) -> T {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { fatalError("glibc is too old: \(name) is missing") }
        return unsafeBitCast(symbol, to: T.self)
    }
}
