package io.channelstream.api.subscriptions;

import java.nio.ByteBuffer;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;

/**
 * An Avro event as plain JSON for partners: records as objects (field order kept), logical timestamps
 * and dates as ISO-8601 strings, enums as their symbols. Where a field may hold one of several record
 * types (an envelope's payload union) the object says which with {@code "@type"}. Avro's own JSON
 * encoding would wrap every union value ({@code {"string": "..."}}), which no partner wants to parse.
 */
final class AvroJson {

    private AvroJson() {
    }

    static Object plain(Object value) {
        return plain(value, null);
    }

    private static Object plain(Object value, Schema declared) {
        if (value == null) {
            return null;
        }
        if (value instanceof IndexedRecord record) {
            Map<String, Object> object = new LinkedHashMap<>();
            if (declared != null && declared.getType() == Schema.Type.UNION && recordBranches(declared) > 1) {
                object.put("@type", record.getSchema().getName());
            }
            for (Schema.Field field : record.getSchema().getFields()) {
                object.put(field.name(), plain(record.get(field.pos()), field.schema()));
            }
            return object;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> object = new LinkedHashMap<>();
            map.forEach((key, entry) -> object.put(key.toString(), plain(entry, null)));
            return object;
        }
        if (value instanceof Collection<?> collection) {
            Schema items = declared != null && declared.getType() == Schema.Type.ARRAY ? declared.getElementType() : null;
            List<Object> list = new ArrayList<>(collection.size());
            collection.forEach(item -> list.add(plain(item, items)));
            return list;
        }
        if (value instanceof CharSequence || value instanceof Enum<?> || value instanceof GenericEnumSymbol<?>
                || value instanceof Temporal) {
            return value.toString();
        }
        if (value instanceof ByteBuffer bytes) {
            ByteBuffer copy = bytes.duplicate();
            byte[] raw = new byte[copy.remaining()];
            copy.get(raw);
            return Base64.getEncoder().encodeToString(raw);
        }
        return value; // numbers and booleans
    }

    private static long recordBranches(Schema union) {
        return union.getTypes().stream().filter(branch -> branch.getType() == Schema.Type.RECORD).count();
    }
}
