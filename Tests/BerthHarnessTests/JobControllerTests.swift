@testable import BerthHarness
import Testing

/// The Job controller's pod-failure back-off and backoffLimit (pkg/controller/job, v1.28).
@Suite struct JobControllerTests {
    @Test func backoffDoublesFromTenSecondsUpToSixMinutes() {
        let seconds = (0...9).map { JobController.backoffMicros(failuresAfterLastSuccess: $0) / 1_000_000 }
        #expect(seconds == [0, 10, 20, 40, 80, 160, 320, 360, 360, 360])
        #expect(JobController.backoffMicros(failuresAfterLastSuccess: 1_000) == 360_000_000)
    }

    @Test func failsOnlyWhenFailuresExceedTheLimit() {
        var jobs = JobController()
        #expect(jobs.podsFailed(7, count: 1, backoffLimit: 2) == .recreate(afterMicros: 10_000_000))
        #expect(jobs.podsFailed(7, count: 1, backoffLimit: 2) == .recreate(afterMicros: 20_000_000))
        #expect(jobs.podsFailed(7, count: 1, backoffLimit: 2) == .failJob)
        #expect(jobs.isFailed(7) && jobs.failedJobs == 1)
        #expect(jobs.podsFailed(7, count: 1, backoffLimit: 2) == .ignore)
        #expect(jobs.failedJobs == 1)
        // Another job is independent; backoffLimit 0 fails on the first failure.
        #expect(jobs.podsFailed(8, count: 1, backoffLimit: 0) == .failJob)
        #expect(jobs.failedJobs == 2)
    }

    @Test func aSuccessResetsTheBackoffButNotTheFailureCount() {
        var jobs = JobController()
        #expect(jobs.podsFailed(1, count: 2, backoffLimit: 3) == .recreate(afterMicros: 20_000_000))
        jobs.podSucceeded(1)
        #expect(jobs.podsFailed(1, count: 1, backoffLimit: 3) == .recreate(afterMicros: 10_000_000))
        // Three failures so far; the fourth exceeds the limit although a pod succeeded in between.
        #expect(jobs.podsFailed(1, count: 1, backoffLimit: 3) == .failJob)
    }
}
