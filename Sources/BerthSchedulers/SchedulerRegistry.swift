import BerthCluster
import BerthPlacement

/// The placement policies Berth knows by name.
public enum PolicyKind: String, CaseIterable, Sendable {
    case firstFit = "first-fit"
    case bestFit = "best-fit"
    case worstFit = "worst-fit"
    case dotProduct = "dot-product"
}

/// The scheduler architectures Berth knows.
public enum ArchitectureKind: String, Sendable, CaseIterable {
    /// One FIFO-by-priority queue with a generic policy (first/best/worst-fit, dot-product).
    case monolithic
    /// kube-scheduler: its scheduling queue and framework with a profile.
    case kubernetes
    /// swarmkit: task groups placed together (docs/swarm.md).
    case swarm
    /// The ECS service scheduler: a FIFO queue with ECS task placement (docs/ecs.md).
    case ecs
    /// Nomad: evaluation broker, scheduler workers and plan applier (``NomadScheduler``)
    /// around the generic/system stacks (``NomadPlacement``); or the stacks on the
    /// monolithic queue with `num_schedulers: 0` (docs/nomad.md).
    case nomad
    /// The Mesos master allocator (DRF offers) with frameworks as the second level (docs/mesos.md).
    case mesos
    /// Monolithic with decision time (single- or multi-path) and Omega shared
    /// state: ``DecisionTimeScheduler`` (docs/architectures.md).
    case decisionTime
}

/// A scheduler as configured: architecture + policy + options. Decoded from a
/// scenario's `scheduler:` field or built from a preset name.
public struct SchedulerSpec: Sendable, Equatable {
    /// The preset this spec started from (reported as the scheduler's name).
    public var preset: String
    public var architecture: ArchitectureKind = .monolithic
    /// The kube-scheduler profile (architecture `kubernetes`); with several
    /// profiles, the first (default) one.
    public var kube = KubeProfileSpec()
    /// Nomad scheduler configuration (architecture `nomad`).
    public var nomad = NomadConfig()
    /// The ECS placement strategy chain (architecture `ecs`).
    public var ecs = ECSSchedulerOptions()
    /// Further kube-scheduler profiles and the queue's backoff settings.
    public var kubeScheduler = KubeSchedulerSettings()
    /// Every kube-scheduler profile, the default first.
    public var kubeProfiles: [KubeProfileSpec] { [kube] + kubeScheduler.moreProfiles }
    /// Allocator flags and frameworks (architecture `mesos`).
    public var mesos = MesosOptions()
    /// Decision times, conflict and transaction modes (architecture `decisionTime`).
    public var decision = DecisionTimeOptions(kind: .singlePath)
    public var policy: PolicyKind
    /// The resource best-fit/worst-fit rank nodes by.
    public var keyResource: String
    /// Whether later tasks may overtake a task that does not fit.
    public var backfill: Bool

    public init(preset: String, policy: PolicyKind, keyResource: String = "cpu", backfill: Bool = true) {
        self.preset = preset
        self.policy = policy
        self.keyResource = keyResource
        self.backfill = backfill
    }
}

/// A named scheduler: one architecture + one policy configuration + defaults,
/// written down in one place (docs/schedulers.md lists them).
public struct SchedulerPreset: Sendable {
    public var name: String
    public var summary: String
    public var spec: SchedulerSpec
}

public enum SchedulerRegistry {
    public static let presets: [SchedulerPreset] = [
        SchedulerPreset(name: "first-fit", summary: "monolithic FIFO-by-priority queue; lowest-numbered node that fits",
                        spec: SchedulerSpec(preset: "first-fit", policy: .firstFit)),
        SchedulerPreset(name: "best-fit", summary: "monolithic queue; node with the least free key resource (cpu) that fits",
                        spec: SchedulerSpec(preset: "best-fit", policy: .bestFit)),
        SchedulerPreset(name: "worst-fit", summary: "monolithic queue; node with the most free key resource (cpu)",
                        spec: SchedulerSpec(preset: "worst-fit", policy: .worstFit)),
        SchedulerPreset(name: "dot-product", summary: "monolithic queue; Tetris alignment of demand and free resources",
                        spec: SchedulerSpec(preset: "dot-product", policy: .dotProduct)),
        kube("kubernetes", "kube-scheduler v1.28 default profile (LeastAllocated, default plugins and weights)"),
        kube("openshift", "OpenShift LowNodeUtilization (default) profile: the upstream default"),
        kube("openshift-high-node-utilization", "OpenShift HighNodeUtilization: MostAllocated (weight 5), no BalancedAllocation",
             KubeProfileSpec(scoring: .mostAllocated, disabledScores: ["NodeResourcesBalancedAllocation"], weights: ["NodeResourcesFit": 5])),
        kube("openshift-no-scoring", "OpenShift NoScoring: every PreScore and Score plugin disabled",
             KubeProfileSpec(disabledScores: ["*"])),
        kube("gke-optimize-utilization", "GKE optimize-utilization autoscaling profile: NodeResourcesFit MostAllocated",
             KubeProfileSpec(scoring: .mostAllocated)),
        kube("rancher", "alias of kubernetes (RKE2/K3s run the upstream default scheduler)"),
        kube("eks", "alias of kubernetes (EKS runs the upstream default scheduler)"),
        kube("aks", "alias of kubernetes (AKS runs the upstream default scheduler)"),
        kube("doks", "alias of kubernetes (DigitalOcean Kubernetes runs the upstream default scheduler)"),
        kube("lke", "alias of kubernetes (Linode Kubernetes Engine runs the upstream default scheduler)"),
        SchedulerPreset(name: "swarm", summary: "Docker Swarm (swarmkit): filter pipeline, fewest tasks of the service first, preference trees, task groups",
                        spec: { var s = SchedulerSpec(preset: "swarm", policy: .firstFit); s.architecture = .swarm; return s }()),
        ecs("ecs-binpack", "Amazon ECS: binpack memory (fewest instances)", .binpack),
        ecs("ecs-spread", "Amazon ECS: spread over availability zones, then binpack memory (the console default)", .spread),
        ecs("ecs-random", "Amazon ECS: random placement", .random),
        nomad("nomad", "Nomad evaluations, 1 scheduler worker, plan applier; stack with scheduler_algorithm binpack (ScoreFitBinPack)",
              NomadConfig(numSchedulers: 1)),
        nomad("nomad-spread", "Nomad evaluations, 1 scheduler worker, plan applier; stack with scheduler_algorithm spread (ScoreFitSpread)",
              NomadConfig(algorithm: .spread, numSchedulers: 1)),
        SchedulerPreset(name: "mesos-drf", summary: "Apache Mesos: DRF allocator offers every 1 s; Marathon for services, a first-fit batch framework for batch",
                        spec: { var s = SchedulerSpec(preset: "mesos-drf", policy: .firstFit); s.architecture = .mesos; return s }()),
        SchedulerPreset(name: "mesos", summary: "alias of mesos-drf (the Mesos master's allocator with Marathon and a batch framework)",
                        spec: { var s = SchedulerSpec(preset: "mesos", policy: .firstFit); s.architecture = .mesos; return s }()),
        decision("monolithic", "one scheduler, one FIFO job queue, decision time t_job + t_task × tasks for every job (single-path)",
                 .singlePath),
        decision("monolithic-multipath", "one scheduler, one FIFO job queue, a decision time per workload class (batch fast, service slow)",
                 .multiPath),
        decision("omega", "Omega shared state: a batch and a service scheduler plan on snapshots and commit optimistically (resource-fit, incremental)",
                 .sharedState),
    ]

    static func decision(_ name: String, _ summary: String, _ kind: DecisionArchitecture) -> SchedulerPreset {
        var spec = SchedulerSpec(preset: name, policy: .firstFit)
        spec.architecture = .decisionTime
        spec.decision = DecisionTimeOptions(kind: kind)
        return SchedulerPreset(name: name, summary: summary, spec: spec)
    }

    static func ecs(_ name: String, _ summary: String, _ options: ECSSchedulerOptions) -> SchedulerPreset {
        var spec = SchedulerSpec(preset: name, policy: .firstFit)
        spec.architecture = .ecs
        spec.ecs = options
        return SchedulerPreset(name: name, summary: summary, spec: spec)
    }

    static func nomad(_ name: String, _ summary: String, _ config: NomadConfig = NomadConfig()) -> SchedulerPreset {
        var spec = SchedulerSpec(preset: name, policy: .firstFit)
        spec.architecture = .nomad
        spec.nomad = config
        return SchedulerPreset(name: name, summary: summary, spec: spec)
    }

    static func kube(_ name: String, _ summary: String, _ profile: KubeProfileSpec = KubeProfileSpec()) -> SchedulerPreset {
        var spec = SchedulerSpec(preset: name, policy: .firstFit)
        spec.architecture = .kubernetes
        spec.kube = profile
        return SchedulerPreset(name: name, summary: summary, spec: spec)
    }

    public static var names: [String] { presets.map(\.name) }

    public static func preset(named name: String) -> SchedulerPreset? { presets.first { $0.name == name } }

    public enum BuildError: Error, Equatable { case unknownResource(String) }

    /// The engine `berth explain` asks to describe one decision, or nil when the
    /// scheduler's policy cannot explain itself.
    public static func explainer(_ spec: SchedulerSpec, catalog: ResourceCatalog) -> (any ExplainablePlacement)? {
        if spec.architecture == .kubernetes {
            if spec.kubeScheduler.moreProfiles.isEmpty { return KubernetesFramework(profile: KubernetesProfiles.build(spec.kube)) }
            return KubernetesProfileExplainer(spec.kubeProfiles)
        }
        if spec.architecture == .swarm { return SwarmPlacement() }
        if spec.architecture == .ecs { return ECSPlacement(strategy: spec.ecs.strategy) }
        if spec.architecture == .nomad { return NomadPlacement(config: spec.nomad) }
        return nil
    }

    /// Builds the live scheduler for one run.
    public static func make(_ spec: SchedulerSpec, catalog: ResourceCatalog) throws(BuildError) -> any SchedulerArchitecture {
        if spec.architecture == .kubernetes {
            let profiles = spec.kubeProfiles.map { p in
                (framework: KubernetesFramework(profile: KubernetesProfiles.build(p), cacheCapacity: p.cacheCapacity),
                 preemption: KubernetesProfiles.preemption(p))
            }
            return KubernetesScheduler(profiles: profiles, podInitialBackoffSeconds: spec.kubeScheduler.podInitialBackoffSeconds,
                                       podMaxBackoffSeconds: spec.kubeScheduler.podMaxBackoffSeconds)
        }
        if spec.architecture == .swarm { return SwarmScheduler() }
        if spec.architecture == .mesos { return MesosScheduler(options: spec.mesos) }
        if spec.architecture == .decisionTime { return DecisionTimeScheduler(options: spec.decision) }
        if spec.architecture == .ecs { return MonolithicScheduler(engine: ECSPlacement(strategy: spec.ecs.strategy)) }
        if spec.architecture == .nomad {
            let engine = NomadPlacement(config: spec.nomad)
            if let workers = spec.nomad.numSchedulers { return NomadScheduler(engine: engine, workers: workers) }
            return MonolithicScheduler(engine: engine, backfill: spec.backfill)
        }
        guard let key = catalog.index(of: spec.keyResource) else { throw .unknownResource(spec.keyResource) }
        let policy: any PlacementPolicy = switch spec.policy {
        case .firstFit: FirstFit()
        case .bestFit: BestFit(keyResource: key)
        case .worstFit: WorstFit(keyResource: key)
        case .dotProduct: DotProduct()
        }
        return MonolithicScheduler(policy: policy, backfill: spec.backfill)
    }
}
