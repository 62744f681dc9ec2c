/**
 * Imported (first) by tests that construct AWS SDK clients.
 *
 * On Node 20 the AWS SDK for JavaScript v3 prints, once per process, a `NodeVersionSupportWarning`
 * ("versions published after the first week of January 2027 will require node >=22"). bluetick
 * supports Node 20 on purpose and its tests run there, so in the test output that line is noise.
 * AWS documents one switch for exactly that warning, the environment variable
 * `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true` (aws/aws-sdk-js-v3#7983); it silences
 * nothing else: every other process warning still prints (test/package/install-noise.test.ts
 * checks both). Users are not affected: this is set in the test process only.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export {};
