package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.jenkins.plugins.kubeplatform.engine.store.StateStore;
import io.jenkins.plugins.kubeplatform.engine.store.WriterJvm;
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
        return WriterJvm.start(InventoryWriterProcess.class, "file", dir.toString(), role, Integer.toString(count));
    }
}
