package dev.carnival.api.reload;

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
        // A component may hold several keys (monitoring), but all of one kind.
        List<String> sorted = new ArrayList<>();
        sorted.addAll(new TreeSet<>(ServiceKeys.PROCESS.stream().map(ServiceKeys.Setting::component).toList()));
        sorted.addAll(new TreeSet<>(ServiceKeys.IN_PLACE.stream().map(ServiceKeys.Setting::component).toList()));
        sorted.add(ServiceKeys.REPLICAS.component());
        sorted.add(ServiceKeys.NAME);
        List<String> components = Arrays.stream(ServiceConfig.class.getRecordComponents())
                .map(RecordComponent::getName).toList();
        assertEquals(new TreeSet<>(components), new TreeSet<>(sorted),
                "each ServiceConfig component must be in ServiceKeys.PROCESS, IN_PLACE, REPLICAS or NAME");
        assertEquals(components.size(), sorted.size(), "a component is sorted into two kinds: " + sorted);
    }
}
