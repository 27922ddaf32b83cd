import ArgumentParser
import BerthSchedulers

extension BerthCommand {
    struct Schedulers: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the scheduler presets.")

        func run() throws {
            let width = SchedulerRegistry.names.map(\.count).max() ?? 0
            for preset in SchedulerRegistry.presets {
                print(preset.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + preset.summary)
            }
        }
    }
}
