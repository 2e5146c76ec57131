/** The virtual live HTTP API, shaped like OvenMediaEngine's push API (<a href="https://airensoft.gitbook.io/ovenmediaengine/rest-api/v1/virtualhost/application/push">OME REST API v1</a>). */
package io.livehub.virtual.api;
