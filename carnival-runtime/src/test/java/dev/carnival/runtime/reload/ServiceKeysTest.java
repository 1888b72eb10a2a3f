package dev.carnival.runtime.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carnival.api.model.ServiceConfig;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ServiceKeysTest {

    @Test
    void everySettingOfAServiceIsSortedIntoExactlyOneKindOfChange() {
        List<String> sorted = new ArrayList<>();
        ServiceKeys.PROCESS.forEach(s -> sorted.add(s.component()));
        ServiceKeys.IN_PLACE.forEach(s -> sorted.add(s.component()));
        sorted.add(ServiceKeys.REPLICAS.component());
        sorted.add(ServiceKeys.NAME);
        List<String> components = Arrays.stream(ServiceConfig.class.getRecordComponents())
                .map(RecordComponent::getName).toList();
        assertEquals(new TreeSet<>(components), new TreeSet<>(sorted),
                "each ServiceConfig component must be in ServiceKeys.PROCESS, IN_PLACE, REPLICAS or NAME");
        assertEquals(components.size(), sorted.size(), "a component is sorted twice: " + sorted);
    }
}
