import BerthCluster
import BerthPlacement
import BerthSimulation

/// `berth explain` for a kube-scheduler with several profiles: the task is
/// explained by the framework of the profile its `schedulerName` names (the
/// first profile for a task without pod details, or one naming no profile —
/// which the loader rejects).
public final class KubernetesProfileExplainer: ExplainablePlacement {
    let frameworks: [String: KubernetesFramework]
    let fallback: KubernetesFramework

    public init(_ profiles: [KubeProfileSpec]) {
        var byName: [String: KubernetesFramework] = [:]
        for p in profiles where byName[p.name] == nil { byName[p.name] = KubernetesFramework(profile: KubernetesProfiles.build(p)) }
        frameworks = byName
        fallback = KubernetesFramework(profile: KubernetesProfiles.build(profiles.first ?? KubeProfileSpec()))
    }

    public func explain(_ task: Int32, _ spec: TaskSpec, in view: ClusterView, random: RandomStream) -> CycleResult {
        let framework = spec.pod.flatMap { frameworks[$0.schedulerName] } ?? fallback
        return framework.explain(task, spec, in: view, random: random)
    }
}
