package example.backoff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carnival.api.event.LifecycleListener;
import dev.carnival.api.restart.RestartPolicyProvider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Tests run on the class path; this checks that the module path sees the same plugins. */
class ModuleDescriptorTest {

    @Test
    void moduleInfoProvidesWhatTheServiceFilesList() throws IOException, URISyntaxException {
        Path classes = Path.of(FailureWindow.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor module;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            module = ModuleDescriptor.read(in);
        }
        assertEquals("example.backoff", module.name());
        assertEquals(Set.of("carnival.api", "java.base"),
                module.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));

        Map<String, List<String>> provides = new TreeMap<>();
        module.provides().forEach(p -> provides.put(p.service(), p.providers()));
        Map<String, List<String>> serviceFiles = new TreeMap<>();
        for (Class<?> service : List.of(RestartPolicyProvider.class, LifecycleListener.class)) {
            serviceFiles.put(service.getName(), Files.readAllLines(classes.resolve("META-INF/services/" + service.getName())));
        }
        assertEquals(serviceFiles, provides);
        assertEquals(List.of(FailureWindow.class.getName()), provides.get(RestartPolicyProvider.class.getName()));
    }
}
