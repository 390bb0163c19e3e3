package io.jenkins.plugins.kubeplatform.engine.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsSectionTest {

    enum Mode { FAST, SAFE }

    static final Setting<String> NAME = Setting.dnsLabel("name", null, 10, "Item name").required();
    static final SettingsSection ITEM = new SettingsSection("demo.items[]", List.of(NAME));
    static final Setting<List<SectionValues>> ITEMS = Setting.items("items", ITEM, "Items");
    static final Setting<Duration> TIMEOUT = Setting.duration("timeout", "5m", "How long");
    static final Setting<Integer> COUNT = Setting.integer("count", 2, 1, 9, "How many");
    static final Setting<Mode> MODE = Setting.choice("mode", Mode.class, Mode.SAFE, "Which way");
    static final Setting<List<String>> TAGS = Setting.names("tags", "a, b", "Tags");
    static final Setting<String> NOTE = Setting.text("note", null, "A note").only(Setting.Scope.CLI);
    static final SettingsSection DEMO = new SettingsSection("demo", List.of(ITEMS, TIMEOUT, COUNT, MODE, TAGS, NOTE));

    static JsonNode yaml(String text) throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(text);
    }

    @Test
    void givesTheDeclaredDefaultsWhenTheSectionIsMissing() {
        SectionValues v = DEMO.read("demo", null);

        assertThat(v.get(TIMEOUT)).isEqualTo(Duration.ofMinutes(5));
        assertThat(v.get(COUNT)).isEqualTo(2);
        assertThat(v.get(MODE)).isEqualTo(Mode.SAFE);
        assertThat(v.get(TAGS)).containsExactly("a", "b");
        assertThat(v.given(NOTE)).isEmpty();
    }

    @Test
    void readsTypedValuesWhenTheyAreGiven() throws IOException {
        SectionValues v = DEMO.read("demo", yaml("{timeout: 90s, count: 7, mode: Fast, tags: [x, y, z], note: ' hi '}"));

        assertThat(v.get(TIMEOUT)).isEqualTo(Duration.ofSeconds(90));
        assertThat(v.get(COUNT)).isEqualTo(7);
        assertThat(v.get(MODE)).isEqualTo(Mode.FAST);
        assertThat(v.get(TAGS)).containsExactly("x", "y", "z");
        assertThat(v.get(NOTE)).isEqualTo("hi");
    }

    @Test
    void refusesASectionGivenAsAListNamingTheSection() throws IOException {
        assertThatThrownBy(() -> DEMO.read("demo", yaml("[a, b]"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("demo").hasMessageContaining("must be a mapping of keys to values");
    }

    @Test
    void readsCommaSeparatedTextLikeAListWhenTheKeyIsAList() throws IOException {
        assertThat(DEMO.read("demo", yaml("{tags: 'x, y,z'}")).get(TAGS)).containsExactly("x", "y", "z");
    }

    @Test
    void usesTheDefaultWhenAValueIsBlank() throws IOException {
        assertThat(DEMO.read("demo", yaml("{timeout: '  ', count: null}")).get(TIMEOUT))
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void refusesAnUnknownKeyNamingItTheSectionAndTheNearestKey() {
        assertThatThrownBy(() -> DEMO.read("demo", yaml("{timeuot: 5m}")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("demo.timeuot: is not a key of section 'demo'; did you mean 'timeout'?; its keys are "
                        + "items, timeout, count, mode, tags, note");
    }

    @Test
    void refusesAValueBreakingItsRuleNamingTheKey() {
        assertThatThrownBy(() -> DEMO.read("demo", yaml("{count: 10}")))
                .isInstanceOf(InvalidInputException.class).hasMessage("demo.count: must be between 1 and 9; got 10");
        assertThatThrownBy(() -> DEMO.read("demo", yaml("{count: many}")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("demo.count: must be a whole number");
        assertThatThrownBy(() -> DEMO.read("demo", yaml("{mode: slow}")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("demo.mode: must be 'fast' or 'safe'; got 'slow'");
    }

    @Test
    void refusesAListWhenTheKeyTakesOneValue() {
        assertThatThrownBy(() -> DEMO.read("demo", yaml("{timeout: [5m, 6m]}")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("demo.timeout: must be a single value");
    }

    @Test
    void namesTheItemByItsNameWhenAnItemIsWrong() {
        assertThatThrownBy(() -> DEMO.read("demo", yaml("{items: [{name: ok}, {name: ok, size: 3}]}")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("demo.items[ok].size: is not a key of section 'demo.items[]'");
        assertThatThrownBy(() -> DEMO.read("demo", yaml("{items: [{}]}")))
                .isInstanceOf(InvalidInputException.class).hasMessage("demo.items[0].name: is required");
    }

    @Test
    void answersAFormCheckWithTheRuleOrNothing() {
        assertThat(DEMO.check("timeout", "soon")).get().asString().startsWith("demo.timeout: must be a duration");
        assertThat(DEMO.check("timeout", "")).isEmpty();
        assertThat(DEMO.check("timeout", "2h")).isEmpty();
    }

    @Test
    void documentsEveryKeyWithItsTypeAndDefaultWhenRenderingTheTable() {
        assertThat(DEMO.markdownTable()).isEqualTo("""
                | key | type | default | meaning |
                |---|---|---|---|
                | `items` | list of mappings (keys below) | none | Items |
                | `timeout` | duration | `5m` | How long |
                | `count` | integer 1 to 9 | `2` | How many |
                | `mode` | `fast` or `safe` | `safe` | Which way |
                | `tags` | comma-separated list | `a, b` | Tags |
                | `note` | text | none | A note (command line only) |
                """);
    }

    @Test
    void refusesTwoDeclarationsOfOneKey() {
        assertThatThrownBy(() -> new SettingsSection("x", List.of(COUNT, COUNT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'count' is declared twice");
    }
}
