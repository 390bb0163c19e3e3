package io.jenkins.plugins.kubeplatform.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Allowed folders and jobs: which full names an entry lets through, and what a refused build is told. */
class FolderAccessTest {

    @ParameterizedTest(name = "{0} allows {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "team-a          | team-a/web           | true",
            "team-a          | team-a               | true",
            "team-a          | team-a/sub/deploy    | true",
            "team-a          | team-ab/web          | false",
            "team-a/web      | team-a/web           | true",
            "team-a/web      | team-a/website       | false",
            "team-a/web      | team-a               | false",
            "/team-a/        | team-a/web           | true",
            "team-*/deploy   | team-b/deploy        | true",
            "team-*/deploy   | team-b/x/deploy      | false",
            "team-*/deploy   | team-b/deploy/main   | true",
            "**/deploy       | a/b/c/deploy         | true",
            "**/deploy       | a/b/c/build          | false",
            "*               | anything/at/all      | true",
    })
    void matchesFullNamesAndPatterns(String entry, String job, boolean allowed) {
        assertThat(FolderAccess.allows(entry, job)).isEqualTo(allowed);
    }

    @Test
    void allowsEveryJobWhenTheListIsEmpty() {
        assertThat(FolderAccess.allows("", "any/job")).isTrue();
        assertThat(FolderAccess.allows(null, "any/job")).isTrue();
        assertThat(FolderAccess.allows(" \n , ", "any/job")).isTrue();
    }

    @Test
    void allowsWhenAnyEntryOfAListMatches() {
        assertThat(FolderAccess.allows("team-a\nteam-b, ops", "ops/repair")).isTrue();
        assertThat(FolderAccess.allows("team-a\nteam-b, ops", "team-c/web")).isFalse();
    }

    @Test
    void refusesNamingTheJobTheItemTheSettingAndTheList() {
        FolderAccess.Item pool = new FolderAccess.Item("IP pool", "shop-pool", "team-a\nteam-b",
                "the pool's Allowed folders and jobs (JCasC stickyIp.pools[].allowedJobs)");

        assertThatThrownBy(() -> FolderAccess.check("team-c/web", pool)).isInstanceOf(AbortException.class)
                .hasMessage("Job 'team-c/web' may not use IP pool 'shop-pool': it is not in the pool's Allowed folders "
                        + "and jobs (JCasC stickyIp.pools[].allowedJobs) (team-a, team-b). An administrator can add the "
                        + "job or its folder there; nothing was changed in the cluster.");
    }

    @Test
    void warnsAboutAnEmptyListOnlyWhileSeveralTopLevelFoldersExist() {
        assertThat(FolderAccess.openToEveryone("", 3, "pool")).hasValueSatisfying(w -> assertThat(w)
                .contains("every job in all 3 top-level folders may use this pool"));
        assertThat(FolderAccess.openToEveryone("", 1, "pool")).isEmpty();
        assertThat(FolderAccess.openToEveryone("team-a", 3, "pool")).isEmpty();
    }

    @Test
    void namesAnEntryThatIsNeitherAFullNameNorAPattern() {
        assertThat(FolderAccess.problem("team-a\nteam-b//web")).hasValueSatisfying(p -> assertThat(p)
                .startsWith("'team-b//web' is not a folder or job full name"));
        assertThat(FolderAccess.problem("team-a\n**/deploy")).isEmpty();
    }
}
