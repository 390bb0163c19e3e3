package io.jenkins.plugins.kubeplatform.edgevm;

import io.jenkins.plugins.kubeplatform.store.StateStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The inventory contract on the file store: {@code edge-inventory.json} in a state directory. */
class FileInventoryStoreContractTest extends InventoryStoreContract {

    @TempDir
    Path dir;

    @Override
    StateStore<Inventory> instance() {
        return EdgeVmEngine.inventoryStore(dir);
    }

    @Override
    Process writerProcess(String role, int count) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                InventoryWriterProcess.class.getName(), "file", dir.toString(), role, Integer.toString(count))
                .redirectErrorStream(true).start();
    }
}
