package io.channelstream.diversion;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A trace code as printed on a pallet, case or item, checked for being readable at all. The code's
 * identity is the printed string (trimmed): a scanner reads exactly what the packing line printed, so
 * binding and scan meet on the same string and no normalisation can merge two codes by mistake.
 *
 * <p>Two forms are accepted: a GS1 Digital Link URI ({@code https://<domain>/01/<GTIN>[/10/<batch>]/21/<serial>}
 * for a serialised item or case, {@code https://<domain>/00/<SSCC>} for a pallet), whose GTIN or SSCC must
 * carry a correct check digit; or an opaque serial of letters, digits and {@code . _ : / -}. A URI that
 * claims to be a Digital Link but breaks its grammar is refused rather than taken as opaque: a wrong
 * check digit is exactly what a badly made counterfeit looks like.
 *
 * @param code   the code as printed, trimmed
 * @param form   which form it has
 * @param gtin   14-digit GTIN of a Digital Link item or case, else null
 * @param batch  batch (AI 10) when the Digital Link carries one, else null
 * @param serial serial (AI 21) or SSCC (AI 00), else null for an opaque code
 */
public record TraceCode(String code, Form form, String gtin, String batch, String serial) {

    public enum Form { DIGITAL_LINK_SERIAL, DIGITAL_LINK_SSCC, OPAQUE }

    /** Longest code accepted; a Digital Link with every attribute fits well within it. */
    public static final int MAX_LENGTH = 256;

    private static final Pattern OPAQUE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/\\-]{3,127}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    // GS1 AI 21 and AI 10 allow up to 20 characters of the GS1 character set 82 (printable, no space)
    private static final Pattern GS1_ATTRIBUTE = Pattern.compile("[!-~]{1,20}");

    /** A code that cannot be read as a trace code, with the reason in words. */
    public static final class InvalidTraceCodeException extends IllegalArgumentException {
        public InvalidTraceCodeException(String message) {
            super(message);
        }
    }

    public static Optional<TraceCode> tryParse(String raw) {
        try {
            return Optional.of(parse(raw));
        } catch (InvalidTraceCodeException e) {
            return Optional.empty();
        }
    }

    /** The code, or an {@link InvalidTraceCodeException} saying why it is not one. */
    public static TraceCode parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidTraceCodeException("is blank");
        }
        String code = raw.strip();
        if (code.length() > MAX_LENGTH) {
            throw new InvalidTraceCodeException("is " + code.length() + " characters long; at most " + MAX_LENGTH);
        }
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new InvalidTraceCodeException("contains whitespace or a control character at position " + i);
            }
        }
        String lower = code.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return digitalLink(code);
        }
        if (!OPAQUE.matcher(code).matches()) {
            throw new InvalidTraceCodeException("'" + code + "' is neither a GS1 Digital Link URI nor a serial of "
                    + "4-128 letters, digits and . _ : / -");
        }
        return new TraceCode(code, Form.OPAQUE, null, null, null);
    }

    private static TraceCode digitalLink(String code) {
        URI uri;
        try {
            uri = new URI(code);
        } catch (URISyntaxException e) {
            throw new InvalidTraceCodeException("is not a valid URI: " + e.getReason());
        }
        if (uri.getHost() == null || uri.getRawPath() == null) {
            throw new InvalidTraceCodeException("Digital Link without a host or path");
        }
        String[] segments = uri.getRawPath().split("/");
        // the primary key (01 or 00) may follow a path prefix on the resolver's domain; find it
        for (int i = 0; i + 1 < segments.length; i++) {
            if (segments[i].equals("01")) {
                return serialised(code, segments, i);
            }
            if (segments[i].equals("00")) {
                String sscc = decode(segments[i + 1]);
                checkDigits(sscc, 18, "SSCC (AI 00)");
                if (i + 2 != segments.length) {
                    throw new InvalidTraceCodeException("an SSCC Digital Link carries nothing after the SSCC");
                }
                return new TraceCode(code, Form.DIGITAL_LINK_SSCC, null, null, sscc);
            }
        }
        throw new InvalidTraceCodeException("Digital Link without a GTIN (/01/) or SSCC (/00/) in its path");
    }

    private static TraceCode serialised(String code, String[] segments, int at) {
        String gtin = decode(segments[at + 1]);
        if (!DIGITS.matcher(gtin).matches()
                || !(gtin.length() == 8 || gtin.length() == 12 || gtin.length() == 13 || gtin.length() == 14)) {
            throw new InvalidTraceCodeException("GTIN (AI 01) '" + gtin + "' must be 8, 12, 13 or 14 digits");
        }
        String gtin14 = "0".repeat(14 - gtin.length()) + gtin;
        checkDigits(gtin14, 14, "GTIN (AI 01)");
        String batch = null;
        String serial = null;
        for (int i = at + 2; i < segments.length; i += 2) {
            if (i + 1 >= segments.length) {
                throw new InvalidTraceCodeException("AI " + segments[i] + " has no value");
            }
            String value = decode(segments[i + 1]);
            switch (segments[i]) {
                case "22" -> { } // consumer product variant: allowed, not needed
                case "10" -> batch = attribute(value, "batch (AI 10)");
                case "21" -> serial = attribute(value, "serial (AI 21)");
                default -> throw new InvalidTraceCodeException("unexpected AI " + segments[i] + " after the GTIN");
            }
        }
        if (serial == null) {
            throw new InvalidTraceCodeException("Digital Link of GTIN " + gtin14
                    + " has no serial (/21/): an unserialised GTIN does not identify one item or case");
        }
        return new TraceCode(code, Form.DIGITAL_LINK_SERIAL, gtin14, batch, serial);
    }

    private static String attribute(String value, String what) {
        if (!GS1_ATTRIBUTE.matcher(value).matches()) {
            throw new InvalidTraceCodeException(what + " '" + value + "' must be 1-20 printable characters");
        }
        return value;
    }

    private static void checkDigits(String digits, int length, String what) {
        if (digits.length() != length || !DIGITS.matcher(digits).matches()) {
            throw new InvalidTraceCodeException(what + " '" + digits + "' must be " + length + " digits");
        }
        if (gs1CheckDigit(digits.substring(0, length - 1)) != digits.charAt(length - 1) - '0') {
            throw new InvalidTraceCodeException(what + " '" + digits + "' has a wrong check digit");
        }
    }

    /** GS1 mod-10 check digit: weights 3 and 1 alternating from the rightmost data digit. */
    static int gs1CheckDigit(String dataDigits) {
        int sum = 0;
        boolean weightThree = true;
        for (int i = dataDigits.length() - 1; i >= 0; i--) {
            int digit = dataDigits.charAt(i) - '0';
            sum += weightThree ? digit * 3 : digit;
            weightThree = !weightThree;
        }
        return (10 - sum % 10) % 10;
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidTraceCodeException("bad percent-encoding in '" + segment + "'");
        }
    }
}
