package io.jenkins.plugins.kubeplatform.stickyip;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.Descriptor.FormException;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kubeplatform.common.ConfigurationForms;
import io.jenkins.plugins.kubeplatform.common.StoreForms;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerSettings;
import io.jenkins.plugins.kubeplatform.engine.stickyip.StickyIpSchema;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import io.jenkins.plugins.kubeplatform.kube.ClusterForms;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins › System › Sticky IP pools: the pools {@code stickyIpDeploy} allocates from, and the cluster whose
 * pods the periodic adoption and garbage collection look at. Blank fields use the declared defaults: the keys, their
 * rules and defaults are declared once in {@link StickyIpSchema}; this class keeps the persisted fields and their
 * setters. Configuration as Code:
 * {@code unclassified: stickyIp: {cluster: ..., pools: [{name: default, ranges: "10.42.200.0/24", ...}]}}.
 */
@Extension
@Symbol("stickyIp")
public class StickyIpConfiguration extends GlobalConfiguration {

    private List<PoolConfig> pools = new ArrayList<>();
    private String cluster = "";
    private String ledgerStore = StickyIpSchema.LEDGER_STORE.defaultText().orElseThrow();
    private String ledgerNamespace = StickyIpSchema.LEDGER_NAMESPACE.defaultText().orElseThrow();

    public StickyIpConfiguration() {
        load();
    }

    /** Neither loaded nor saved: what a form submission is bound to before it is checked. */
    StickyIpConfiguration(Void detached) {
    }

    /**
     * A submitted form replaces the whole configuration (an emptied list is emptied), after every value is checked,
     * with one save.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        StickyIpConfiguration candidate = new StickyIpConfiguration((Void) null) {
            @Override
            public synchronized void save() {
                // a candidate is never persisted
            }
        };
        ConfigurationForms.replace(StickyIpConfiguration.class, this, candidate, req, json, StickyIpConfiguration::check);
        return true;
    }

    /** Everything the form can get wrong, before anything changes; the exception names the field. */
    void check() throws FormException {
        try {
            validatedPools();
            ledgerSettings();
        } catch (InvalidInputException e) {
            throw ConfigurationForms.invalid(e);
        }
    }

    public static StickyIpConfiguration get() {
        return ExtensionList.lookupSingleton(StickyIpConfiguration.class);
    }

    public List<PoolConfig> getPools() {
        return pools;
    }

    @DataBoundSetter
    public void setPools(List<PoolConfig> pools) {
        this.pools = pools == null ? new ArrayList<>() : new ArrayList<>(pools);
        save();
    }

    public String getCluster() {
        return cluster;
    }

    /** The cluster of the pools, for periodic adoption and GC; blank means the default cluster. */
    @DataBoundSetter
    public void setCluster(String cluster) {
        this.cluster = cluster == null ? "" : cluster.trim();
        save();
    }

    public String getLedgerStore() {
        return ledgerStore;
    }

    /** {@code file} (JENKINS_HOME/kubeplatform/ip-ledger, the default) or {@code cluster} (ConfigMaps, shared). */
    @DataBoundSetter
    public void setLedgerStore(String ledgerStore) {
        this.ledgerStore = ledgerStore == null || ledgerStore.isBlank()
                ? StickyIpSchema.LEDGER_STORE.defaultText().orElseThrow() : ledgerStore.trim();
        save();
    }

    public String getLedgerNamespace() {
        return ledgerNamespace;
    }

    /** The namespace of the cluster ledger's ConfigMaps, in the pools' cluster. */
    @DataBoundSetter
    public void setLedgerNamespace(String ledgerNamespace) {
        this.ledgerNamespace = ledgerNamespace == null || ledgerNamespace.isBlank()
                ? StickyIpSchema.LEDGER_NAMESPACE.defaultText().orElseThrow() : ledgerNamespace.trim();
        save();
    }

    /** Where the ledger lives; an invalid value is an input error naming the field ({@link StickyIpSchema}). */
    public LedgerSettings ledgerSettings() {
        ObjectNode section = Json.mapper().createObjectNode();
        section.put(StickyIpSchema.CLUSTER.name(), cluster);
        section.put(StickyIpSchema.LEDGER_STORE.name(), ledgerStore);
        section.put(StickyIpSchema.LEDGER_NAMESPACE.name(), ledgerNamespace);
        return StickyIpSchema.ledger(section);
    }

    /** The validated pools by name; an invalid pool is an input error naming it ({@link StickyIpSchema}). */
    public Map<String, IpPool> validatedPools() {
        ObjectNode section = Json.mapper().createObjectNode();
        ArrayNode items = section.putArray(StickyIpSchema.POOLS.name());
        for (PoolConfig pool : pools == null ? List.<PoolConfig>of() : pools) {
            pool.writeTo(items.addObject());
        }
        return StickyIpSchema.pools(section);
    }

    /** Checks all pools together (duplicate names, overlapping ranges) when the form is saved. */
    @POST
    public FormValidation doCheckPools() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        try {
            validatedPools();
            return FormValidation.ok();
        } catch (InvalidInputException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    @POST
    public FormValidation doCheckLedgerStore(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return StoreForms.check(value, LedgerSettings::store);
    }

    @POST
    public ListBoxModel doFillLedgerStoreItems() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return StoreForms.items();
    }

    @POST
    public FormValidation doCheckLedgerNamespace(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return PoolConfig.declared(StickyIpSchema.check(StickyIpSchema.LEDGER_NAMESPACE, value));
    }

    @POST
    public FormValidation doCheckCluster(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return ClusterForms.clusterReference(value);
    }

    @POST
    public ListBoxModel doFillClusterItems() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return ClusterForms.clusterItems();
    }
}
