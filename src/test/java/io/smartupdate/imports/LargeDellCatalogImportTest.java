package io.smartupdate.imports;

import static io.smartupdate.imports.SyntheticCatalogs.component;
import static io.smartupdate.imports.SyntheticCatalogs.device;
import static io.smartupdate.imports.SyntheticCatalogs.model;
import static io.smartupdate.imports.SyntheticCatalogs.pci;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smartupdate.testing.Samples;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Dell catalog the size of the real one (20,000 SoftwareComponents, about 40 MB of UTF-16) imports
 * in seconds with memory bounded by what is imported, not by the catalog: the parser streams.
 */
@Timeout(120)
class LargeDellCatalogImportTest {
  static final int ENTRIES = 20_000;
  static final int PRESENT = 200;
  @TempDir Path dir;

  @Test
  void twentyThousandEntriesImportInSecondsWithBoundedHeap() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Path catalog = repo.resolve("Catalog.xml");
    String[] md5 = new String[PRESENT];
    for (int i = 0; i < PRESENT; i++) {
      byte[] data = Samples.write(Files.createDirectories(repo.resolve("FOLDER" + i + "/1")).resolve("pkg" + i + ".EXE"), 1024, i);
      md5[i] = SyntheticCatalogs.md5(data);
    }
    try (Writer w = Files.newBufferedWriter(catalog, StandardCharsets.UTF_16LE)) {
      w.write("\uFEFF<?xml version=\"1.0\" encoding=\"utf-16\"?>\n<Manifest baseLocation=\"downloads.example.com\" version=\"1\">\n");
      for (int i = 0; i < ENTRIES; i++) {
        // Every 100th entry's file is in the repository; the others are listed only, as in a full vendor catalog.
        boolean present = i % (ENTRIES / PRESENT) == 0 && i / (ENTRIES / PRESENT) < PRESENT;
        int f = i / (ENTRIES / PRESENT);
        w.write(component("P" + i, present ? "FOLDER" + f + "/1/pkg" + f + ".EXE" : "FOLDERX" + i + "/1/pkg.EXE", "1." + (i % 50) + "." + i,
            present ? md5[f] : "0".repeat(32), i % 7 == 0 ? "DRVR" : "FRMW", "Broadcom NetXtreme Family Firmware " + i,
            device(Integer.toString(100_000 + i), pci("14E4", "16D7", "1028", "0A5F")) + device(Integer.toString(200_000 + i), null),
            model("0A6B", "R740") + model("0A6C", "R740xd"), i % 2 == 0));
      }
      w.write("</Manifest>\n");
    }
    long catalogBytes = Files.size(catalog);

    System.gc();
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
    long before = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    ImportResult r = Importer.run(repo, null, List.of(catalog));
    long millis = (System.nanoTime() - start) / 1_000_000;
    long cpuMillis = (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000_000;
    long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();

    System.out.printf("import benchmark: %d entries (%d MB catalog, %d files present) in %d ms wall, %d ms CPU; heap before %d MiB,"
        + " peak %d MiB%n", ENTRIES, catalogBytes >> 20, PRESENT, millis, cpuMillis, before >> 20, peak >> 20);
    assertEquals(2 * (PRESENT - (PRESENT + 6) / 7), r.added(), "two devices for each firmware package present");
    // CPU time, not wall time: the test machine may be shared, and a loaded machine stretches the wall clock alone.
    assertTrue(cpuMillis < 15_000, "took " + cpuMillis + " ms of CPU");
    assertTrue(peak - before < 256L << 20, "heap grew by " + ((peak - before) >> 20) + " MiB over a " + (catalogBytes >> 20) + " MB catalog");
  }
}
