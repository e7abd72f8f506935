package org.antidote.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where pinned files are looked up before the internet. */
class MirrorTest {

  @TempDir Path tmp;

  @Test
  void theMirrorIsTheVariableElseTheSharedFolderBesideTheCheckout() throws Exception {
    Path checkout = tmp.resolve("work/main");
    Files.createDirectories(checkout);
    assertEquals(
        List.of(), Mirror.configured(null, checkout.toString()), "no folder beside: no mirror");
    Path beside = tmp.resolve("work/shared/mirror");
    Files.createDirectories(beside);
    assertEquals(List.of(beside.toString()), Mirror.configured(null, checkout.toString()));
    assertEquals(
        List.of("https://mirror.example/data"),
        Mirror.configured("https://mirror.example/data", checkout.toString()));
    assertEquals(
        List.of(tmp.resolve("m").toString()), Mirror.configured(tmp.resolve("m").toString(), null));
    assertEquals(
        "https://mirror.example/data/raw.githubusercontent.com/a/b",
        Mirror.locate("https://mirror.example/data/", "raw.githubusercontent.com/a/b"));
  }
}
