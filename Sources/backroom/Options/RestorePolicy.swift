import BackroomSecurity

/// What `backup` and `restore` say and use beyond their options.
enum RestorePolicy {
    /// Why neither copies a PostgreSQL database, and what does instead.
    static let postgresBackup = """
        Backroom does not copy a PostgreSQL database itself: PostgreSQL's own tools do it better. Take base backups \
        with pg_basebackup and archive the write-ahead log (archive_command) for point-in-time recovery, which restores \
        to the last committed transaction and so loses nothing; or take logical copies with pg_dump -Fc and put one back \
        with pg_restore. After restoring to an earlier point, run `backroom restore --already-restored --database URL` \
        before starting central, so that its stores forget what the copy lacks. See docs/operations.md.
        """

    /// A restore mark's name: unguessable, so that no two restores share one.
    static func newMarkID() -> String {
        String(SecretToken.generate().prefix(16))
    }
}
