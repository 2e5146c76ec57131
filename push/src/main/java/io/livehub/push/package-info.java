/** Push (restream) tasks that send a hub stream to RTMP, RTMPS, SRT and MPEG-TS/UDP destinations, shaped like OvenMediaEngine's push API: https://airensoft.gitbook.io/ovenmediaengine/rest-api/v1/virtualhost/application/push */
package io.livehub.push;
