package io.smartupdate.ftp;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.apache.ftpserver.ftplet.DataConnectionFactory;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every command that could change the repository with 550 before FtpServer runs it. Users
 * have no write permission either; this is the first of the two locks, and the one that does not
 * depend on each command checking that permission.
 */
final class ReadOnlyFtplet extends DefaultFtplet {
  private static final Logger log = LoggerFactory.getLogger(ReadOnlyFtplet.class);

  /** Uploads, deletes, renames, directory changes, time stamps and every SITE command (CHMOD and the like). */
  static final Set<String> REFUSED = Set.of("STOR", "APPE", "STOU", "DELE", "RNFR", "RNTO", "MKD", "XMKD", "RMD",
      "XRMD", "SITE", "MFMT", "MFCT", "MFF");
  private static final Set<String> UPLOADS = Set.of("STOR", "APPE", "STOU");

  @Override
  public FtpletResult beforeCommand(FtpSession session, FtpRequest request) throws FtpException, IOException {
    String command = request.getCommand() == null ? "" : request.getCommand().toUpperCase(Locale.ROOT);
    if (!REFUSED.contains(command)) return FtpletResult.DEFAULT;
    log.debug("FTP {} refused for {}", command, session.getClientAddress());
    if (UPLOADS.contains(command)) {
      // The client may already have opened the passive data connection for the upload; free its port now.
      DataConnectionFactory data = session.getDataConnection();
      if (data != null) data.closeDataConnection();
    }
    session.write(new DefaultFtpReply(FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, "read-only server"));
    return FtpletResult.SKIP;
  }
}
