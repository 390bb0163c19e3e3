package io.jenkins.plugins.kubeplatform.engine.stickyip;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded file store (journal and snapshots under the state directory). */
class FileLedgerStoreContractTest extends LedgerStoreContract {

    @TempDir
    Path dir;

    private final List<JournaledLedgerStore> opened = new ArrayList<>();

    @Override
    LedgerStore instance() {
        JournaledLedgerStore store = new JournaledLedgerStore(dir);
        opened.add(store);
        return store;
    }

    @Override
    Process writerProcess(String prefix, int count) throws Exception {
        return LedgerWriterProcess.start(dir, prefix, count, 4096);
    }

    @AfterEach
    void close() {
        opened.forEach(JournaledLedgerStore::close);
    }
}
