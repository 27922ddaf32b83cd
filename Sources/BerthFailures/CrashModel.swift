import BerthSimulation

/// A pod's `restartPolicy` (core/v1): what the kubelet does when a container exits.
public enum RestartPolicy: String, Sendable, CaseIterable {
    /// Restart in place whatever the exit (ReplicaSet pods must use it).
    case always = "Always"
    /// Restart in place after a failure; a success completes the pod.
    case onFailure = "OnFailure"
    /// Never restart: a crash fails the pod, and its controller decides.
    case never = "Never"
}

/// How a workload's containers crash (`crash_probability` or
/// `crash_rate_per_hour`) and what happens then (`restart_policy`).
public struct CrashSpec: Sendable, Equatable {
    public enum Hazard: Sendable, Equatable {
        /// Each run crashes with this probability, at a uniformly drawn point of its duration.
        case probability(Double)
        /// Constant hazard: time to crash from each (re)start is exponential with this rate.
        case ratePerHour(Double)
    }
    public var hazard: Hazard?
    public var restartPolicy: RestartPolicy
    /// The exit code of a crashed container (an OOM kill is always 137);
    /// what a Job's `podFailurePolicy` `onExitCodes` rules see.
    public var exitCode: Int32

    /// The exit code of a container the OOM killer or a graceful deletion's SIGKILL ends.
    public static let sigkillExitCode: Int32 = 137

    public init(hazard: Hazard?, restartPolicy: RestartPolicy, exitCode: Int32 = 1) {
        self.hazard = hazard
        self.restartPolicy = restartPolicy
        self.exitCode = exitCode
    }
}

/// The kubelet's CrashLoopBackOff: a container that exits is restarted after
/// 10 s, doubling with each further exit up to 5 minutes; the delay starts
/// again at 10 s once the container has run 10 minutes without exiting.
/// Upstream: pkg/kubelet/kuberuntime (`doBackOff`, `flowcontrol.Backoff` with
/// initial 10 s, `MaxContainerBackOff` 300 s) as documented in the pod
/// lifecycle page and KEP-4603's summary of the current behaviour.
public enum CrashLoopBackOff {
    public static let initialMicros: Int64 = 10_000_000
    public static let maxMicros: Int64 = 300_000_000
    /// A run this long resets the back-off.
    public static let resetAfterMicros: Int64 = 600_000_000

    /// The delay before restart number `restart` (1-based) since the last reset.
    public static func delayMicros(restart: Int) -> Int64 {
        var delay = initialMicros
        var k = 1
        while k < restart && delay < maxMicros {
            delay *= 2
            k += 1
        }
        return min(delay, maxMicros)
    }
}
