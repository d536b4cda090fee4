package io.channelstream.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.schemas.Topics;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The build's guard on the committed contracts (runs in {@code mvn verify}). */
class SchemaEvolutionTest {

    static final Path CURRENT = Path.of("src/main/avro");
    static final Path HISTORY = Path.of("src/main/avro-history");

    @Test
    void currentContractsReadEveryReleasedVersionAndAreThemselvesReleased() {
        List<String> problems = EvolutionCheck.problems(CURRENT, HISTORY);

        assertThat(problems)
                .withFailMessage("Event contracts cannot ship:%n  %s", String.join("\n  ", problems))
                .isEmpty();
    }

    @Test
    void everyCataloguedValueTypeHasAReleasedHistory() {
        var released = SchemaFiles.released(HISTORY).keySet();

        assertThat(Topics.all()).allSatisfy(topic ->
                assertThat(released).contains(topic.valueSchema().getFullName()));
    }
}
