package io.channelstream.infra.junit;

import io.channelstream.infra.Docker;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link RequiresDocker}. */
public final class DockerAvailableCondition implements ExecutionCondition {

    public static final String SKIP_MESSAGE = "Docker engine not available: Testcontainers tests skipped";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return Docker.isAvailable()
                ? ConditionEvaluationResult.enabled("Docker engine available: " + Docker.reason())
                : ConditionEvaluationResult.disabled(SKIP_MESSAGE + " (" + Docker.reason() + ")");
    }
}
