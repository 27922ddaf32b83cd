import ArgumentParser

@main
struct BerthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "berth",
        abstract: "Berth: a cluster-scheduler simulator and benchmark suite.",
        discussion: "Run scenario files, compare schedulers, and regression-test placement logic. Docs: docs/.",
        version: "0.1.0",
        subcommands: [Run.self, Compare.self, Sweep.self, Merge.self, Report.self, Check.self, Validate.self, Schedulers.self, Explain.self]
    )
}
