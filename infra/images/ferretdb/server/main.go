// Command ferretdb-server runs FerretDB 1.24 with its SQLite handler as a MongoDB-wire server
// for Carechain's local infrastructure.
//
// Why a module of our own: `go install github.com/FerretDB/FerretDB/cmd/ferretdb` panics at
// start over a version file that only its release build generates, while the embeddable
// `ferretdb` package starts cleanly.
//
// Contract (shared with infra/images/mongo-java-server):
//   - MONGO_HOST (default 127.0.0.1) and MONGO_PORT (default 27017) give the TCP listener;
//   - MONGO_DATA_DIR (default /data) holds one SQLite file per database;
//   - MONGO_LOG_LEVEL (debug, info, warn or error; default error) filters FerretDB's JSON logs
//     on stderr, because at warn it logs every unsupported command a driver sends on close;
//   - the line "carechain-store ready" is printed to stdout once the port accepts connections;
//   - SIGTERM or SIGINT stops the listener and closes every SQLite file, then exits 0;
//   - a bad variable exits 1 with one line naming it.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func run() error {
	port := env("MONGO_PORT", "27017")
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("MONGO_PORT must be a TCP port (1-65535), got %q", port)
	}
	addr := net.JoinHostPort(env("MONGO_HOST", "127.0.0.1"), port)
	dataDir, err := filepath.Abs(env("MONGO_DATA_DIR", "/data"))
	if err != nil {
		return fmt.Errorf("MONGO_DATA_DIR: %w", err)
	}
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return fmt.Errorf("MONGO_DATA_DIR: %w", err)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(env("MONGO_LOG_LEVEL", "error"))); err != nil {
		return fmt.Errorf("MONGO_LOG_LEVEL must be debug, info, warn or error: %w", err)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	// The SQLite handler wants a directory URI ending in a slash.
	db, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: addr},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + dataDir + "/",
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	// New has already bound the listener, so clients can connect from here on.
	fmt.Printf("carechain-store ready %s engine=ferretdb-sqlite data=%s\n", db.MongoDBURI(), dataDir)

	// Run returns once ctx is cancelled, after closing the listener and the backend.
	if err := db.Run(ctx); err != nil && ctx.Err() == nil {
		return err
	}
	fmt.Println("carechain-store stopped")
	return nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb-server:", err)
		os.Exit(1)
	}
}
