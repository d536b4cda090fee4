package io.channelstream.infra;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;

import io.channelstream.infra.junit.DockerAvailableCondition;
import io.channelstream.infra.junit.RequiresDocker;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Proves that @RequiresDocker reports "skipped, with the reason" when no engine answers. */
class RequiresDockerTest {

    @Test
    void withoutDockerTheTestIsSkippedWithAVisibleReason() {
        var events = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(NeedsDocker.class))
                .execute()
                .testEvents();
        if (Docker.isAvailable()) {
            events.assertStatistics(s -> s.started(1).succeeded(1).skipped(0));
        } else {
            events.assertStatistics(s -> s.started(0).succeeded(0).skipped(1));
            events.assertThatEvents().haveExactly(1, event(test("runsOnlyWithDocker"),
                    skippedWithReason(r -> r.startsWith(DockerAvailableCondition.SKIP_MESSAGE))));
        }
    }

    static class NeedsDocker {
        @Test
        @RequiresDocker
        void runsOnlyWithDocker() {
        }
    }
}
