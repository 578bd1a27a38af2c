package io.smartupdate.redfish;

/** One BMC's deployment failed; the message is the one line the operator reads, naming the fix. */
class DeployFailure extends RuntimeException {
  DeployFailure(String message) {
    super(message, null, false, false);
  }
}
