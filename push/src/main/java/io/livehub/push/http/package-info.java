/** The push API over HTTP, shaped like OvenMediaEngine's: https://airensoft.gitbook.io/ovenmediaengine/rest-api/v1/virtualhost/application/push */
package io.livehub.push.http;
