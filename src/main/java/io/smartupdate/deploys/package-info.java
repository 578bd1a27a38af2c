/**
 * Deploy runs over HTTP ({@code /api/deploys}): the plan and each step's state, written by the
 * deploying process with the write token and kept in the status store, so a run can be resumed.
 */
package io.smartupdate.deploys;
