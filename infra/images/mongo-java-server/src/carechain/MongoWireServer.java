package carechain;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs mongo-java-server 1.47 as Carechain's local MongoDB-wire store.
 *
 * <p>Contract (shared with infra/images/ferretdb):
 * <ul>
 *   <li>MONGO_HOST (default 127.0.0.1) and MONGO_PORT (default 27017) give the listener;</li>
 *   <li>MONGO_BACKEND is {@code h2} (default: one MVStore file, MONGO_DATA_DIR/carechain.mv.db)
 *       or {@code memory} (nothing on disk);</li>
 *   <li>the line "carechain-store ready ..." is printed to stdout once the port is bound;</li>
 *   <li>SIGTERM or SIGINT stops the listener, then closes the H2 store so that every write
 *       acknowledged before the signal is on disk, then prints "carechain-store stopped"; the
 *       JVM then exits with status 143 (128 + SIGTERM) or 130 (SIGINT).</li>
 * </ul>
 * A bad MONGO_PORT or MONGO_BACKEND exits 2 with one line naming the variable.
 */
public final class MongoWireServer {
  private MongoWireServer() {}

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private static void fail(String message) {
    System.err.println("mongo-java-server: " + message);
    System.exit(2);
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    String host = env("MONGO_HOST", "127.0.0.1");
    String portText = env("MONGO_PORT", "27017");
    String backendName = env("MONGO_BACKEND", "h2");
    Path dataDir = Path.of(env("MONGO_DATA_DIR", "/data")).toAbsolutePath();

    int port = -1;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      // reported below with the range check
    }
    if (port < 1 || port > 65535) {
      fail("MONGO_PORT must be a TCP port (1-65535), got '" + portText + "'");
    }

    MongoBackend backend = null;
    String where = "memory";
    switch (backendName) {
      case "h2" -> {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve("carechain.mv.db");
        backend = new H2Backend(file.toString());
        where = file.toString();
      }
      case "memory" -> backend = new MemoryBackend();
      default -> fail("MONGO_BACKEND must be 'h2' or 'memory', got '" + backendName + "'");
    }

    MongoServer server = new MongoServer(backend);
    CountDownLatch stopped = new CountDownLatch(1);
    // The JVM runs shutdown hooks on SIGTERM and SIGINT (also as PID 1 in a container).
    // MongoServer.shutdown() closes the backend after the listener, and H2Backend.close()
    // closes the MVStore, which writes what its background committer has not yet flushed.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdown();
      System.out.println("carechain-store stopped");
      System.out.flush();
      stopped.countDown();
    }, "carechain-store-shutdown"));

    server.bind(host, port);
    System.out.println("carechain-store ready mongodb://" + host + ":" + port
        + "/ engine=mongo-java-server-" + backendName + " data=" + where);
    System.out.flush();
    stopped.await();
  }
}
