package io.channelstream.schemas;

import java.util.ArrayList;
import java.util.Collection;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * The model events are read with: the generated class's own conversions (Instant, LocalDate), but arrays read
 * as {@link ArrayList}. Avro's default {@code GenericData.Array} compares and hashes its elements through the
 * plain {@code GenericData} model, which does not know logical types, so {@code equals}/{@code hashCode} of a
 * read {@code ShipmentDispatched} (dates inside its lines) would throw. Avro's fast reader always builds
 * {@code GenericData.Array}, so it is switched off for this model.
 */
final class ListArraysSpecificData extends SpecificData {

    private ListArraysSpecificData(SpecificData generated) {
        super(generated.getClassLoader());
        generated.getConversions().forEach(this::addLogicalTypeConversion);
        setFastReaderEnabled(false);
    }

    static SpecificData basedOn(SpecificData generated) {
        return new ListArraysSpecificData(generated);
    }

    @Override
    public Object newArray(Object old, int size, Schema schema) {
        if (old instanceof Collection<?> reused) {
            reused.clear();
            return reused;
        }
        return new ArrayList<>(size);
    }
}
