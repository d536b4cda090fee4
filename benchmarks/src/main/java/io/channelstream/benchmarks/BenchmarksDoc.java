package io.channelstream.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the harness's section of docs/benchmarks.md between its markers and leaves every other section (other
 * engineers' measurements) as it is. A missing file is created with a short header.
 */
final class BenchmarksDoc {

    static final String BEGIN = "<!-- BEGIN harness section: written by the benchmarks module, do not edit by hand -->";
    static final String END = "<!-- END harness section -->";

    private BenchmarksDoc() {
    }

    static void update(Path doc, String section) throws IOException {
        String block = BEGIN + "\n" + section + END + "\n";
        String text;
        if (Files.exists(doc)) {
            String current = Files.readString(doc);
            int begin = current.indexOf(BEGIN);
            int end = current.indexOf(END);
            if (begin >= 0 && end > begin) {
                text = current.substring(0, begin) + block + current.substring(end + END.length()).replaceFirst("^\n", "");
            } else {
                text = current.endsWith("\n") ? current + "\n" + block : current + "\n\n" + block;
            }
        } else {
            Files.createDirectories(doc.toAbsolutePath().getParent());
            text = "# Benchmarks\n\nEvery figure here comes from a command in this repository, named beside it.\n\n" + block;
        }
        Files.writeString(doc, text);
    }
}
