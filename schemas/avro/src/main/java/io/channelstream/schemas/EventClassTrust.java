package io.channelstream.schemas;

import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Avro 1.12 only instantiates classes it trusts when reading (CVE-2024-47561): by default java.lang/java.math
 * types, plus packages listed in the system property {@code org.apache.avro.SERIALIZABLE_PACKAGES}. Our
 * generated event classes are loaded by name from the writer schema, so without this every read would need
 * that flag. We add exactly the generated package to Avro's global validator, once, keeping whatever it
 * already trusts.
 */
final class EventClassTrust {

    static final String EVENTS_PACKAGE = "io.channelstream.events";

    private static boolean installed;

    private EventClassTrust() {
    }

    static synchronized void ensureTrusted() {
        if (installed) {
            return;
        }
        ClassSecurityPredicate generatedEvents = type -> EVENTS_PACKAGE.equals(type.getPackageName());
        ClassSecurityValidator.setGlobal(
                ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), generatedEvents));
        installed = true;
    }
}
