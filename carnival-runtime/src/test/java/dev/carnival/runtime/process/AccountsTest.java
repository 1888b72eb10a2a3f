package dev.carnival.runtime.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountsTest {
    @TempDir
    Path dir;
    private Accounts accounts;

    @BeforeEach
    void files() throws IOException {
        Path passwd = Files.writeString(dir.resolve("passwd"), """
                root:x:0:0:root:/root:/bin/bash
                # a comment
                app:x:1000:1000:App:/home/app:/bin/sh
                nohome:x:1001:1001::::
                +nis
                """);
        Path group = Files.writeString(dir.resolve("group"), """
                root:x:0:
                app:x:1000:
                audio:x:29:app,other
                video:x:44:other
                www:x:33:app
                """);
        accounts = new Accounts(passwd, group);
    }

    @Test
    void byNameGroupsAreThePrimaryAndEveryGroupListingTheUser() throws Exception {
        Credentials c = accounts.resolve("app", null);
        assertEquals(new Credentials("app", 1000, 1000, new int[] {1000, 29, 33}, "/home/app"), c);
    }

    @Test
    void byUidAndGroupByNameOrGid() throws Exception {
        assertEquals(new Credentials("app", 1000, 44, new int[] {44, 29, 33}, "/home/app"), accounts.resolve("1000", "video"));
        assertEquals(new Credentials("app", 1000, 7, new int[] {7, 29, 33}, "/home/app"), accounts.resolve("app", "7"));
    }

    @Test
    void aUidWithoutEntryIsAllowedWithItsOwnGidAndRootAsHome() throws Exception {
        Credentials c = accounts.resolve("4242", null);
        assertEquals(4242, c.uid());
        assertEquals(4242, c.gid());
        assertArrayEquals(new int[] {4242}, c.groups());
        assertEquals("/", c.home());
        assertEquals("/", accounts.resolve("nohome", null).home());
    }

    @Test
    void unknownNamesAreErrorsNamingThem() {
        assertEquals("unknown user 'ghost' (not in " + dir.resolve("passwd") + ")",
                assertThrows(Accounts.AccountException.class, () -> accounts.resolve("ghost", null)).getMessage());
        assertEquals("unknown group 'ghosts' (not in " + dir.resolve("group") + ")",
                assertThrows(Accounts.AccountException.class, () -> accounts.resolve("app", "ghosts")).getMessage());
        assertThrows(Accounts.AccountException.class, () -> accounts.resolve("nis", null), "NIS lines are not entries");
    }
}
