package io.jenkins.plugins.kubeplatform.common;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kubeplatform.engine.edgevm.InventoryStoreSettings;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerSettings;
import org.junit.jupiter.api.Test;

/** The store drop-down and check shared by the ledger's and the edge VM inventory's forms. */
class StoreFormsTest {

    @Test
    void offersTheFileStoreFirstAndThenTheClusterStoreWhenTheDropDownIsFilled() {
        ListBoxModel items = StoreForms.items();

        assertThat(items).extracting(o -> o.value).containsExactly("file", "cluster");
    }

    @Test
    void showsTheFieldsRuleWhenTheStoreIsUnknownAndNothingWhenItIsKnownOrBlank() {
        FormValidation ledger = StoreForms.check("etcd", LedgerSettings::store);
        FormValidation inventory = StoreForms.check("etcd", InventoryStoreSettings::store);

        assertThat(ledger.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(ledger.getMessage()).startsWith("stickyIp.ledgerStore: must be file or cluster");
        assertThat(inventory.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(inventory.getMessage()).startsWith("edgeVms.inventoryStore:");
        assertThat(StoreForms.check("cluster", LedgerSettings::store).kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(StoreForms.check("", InventoryStoreSettings::store).kind).isEqualTo(FormValidation.Kind.OK);
    }
}
