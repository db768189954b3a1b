import { htmlCreativeHead } from './tag-script';
import { VIEWABILITY_JS } from './viewability-script';

/** JSON for embedding in a script: also escapes `<` so `</script>` can never end it. */
const jsString = (s: string) => JSON.stringify(s).replace(/</g, '\\u003c');

/**
 * The page tag (GET /v1/tag.js), hand-minified ES5 to stay well under 3 KB gzip. One script per
 * page fills every `<ins data-ce-zone="ID" data-ce-kw="a,b">`:
 *
 * - placements within 200 px of the viewport are collected and decided in ONE POST /v1/decisions
 *   (cookieless); the campaigns and creatives still on the page go along as `exclusions`, and
 *   batches run one after another, so a later batch never repeats what an earlier one shows;
 * - a MutationObserver picks up placements added later; `creativeEngine.refresh()` re-scans and
 *   re-fills a filled placement whose `<ins>` was emptied (a single-page app's new view), while its
 *   old ad stops counting as "on the page";
 * - images render as a link around an img, HTML in a sandboxed srcdoc iframe (as the zone tag);
 *   the impression carries ?m=1 when viewability can be measured, and ceView fires the view URL;
 * - a filled `<ins>` gets data-ce-filled="1" and data-decision, an empty answer "0", a failed
 *   request (network, or a bad zone id in the batch) "x"; refresh() asks again for every empty one.
 *
 * Without IntersectionObserver every placement is requested at once and none is measurable.
 * Loads nothing but from `baseUrl`.
 */
export function pageTagScript(baseUrl: string): string {
  return (
    `(function(w,d){"use strict";if(!w.fetch||w.creativeEngine)return;var B=${jsString(baseUrl)},H=${jsString(htmlCreativeHead(baseUrl))},` +
    'Q=[],S=[],busy=0,I=w.IntersectionObserver,' +
    'io=I&&new I(function(l){l.forEach(function(x){if(x.isIntersecting){io.unobserve(x.target);q(x.target)}})},{rootMargin:"200px"});' +
    VIEWABILITY_JS +
    // q: queue a placement; the batch leaves on the next tick, so one scroll or scan gives one request.
    'function q(e){Q.push(e);if(!busy){busy=1;setTimeout(go,0)}}' +
    'function at(e,n,v){e.setAttribute(n,v)}' +
    'function go(){var l=Q.splice(0,20),c=[],r=[];if(!l.length){busy=0;return}' +
    'S=S.filter(function(s){return s.e.isConnected&&s.e.contains(s.n)});S.forEach(function(s){c.push(s.c);r.push(s.r)});' +
    'fetch(B+"/v1/decisions",{method:"POST",credentials:"omit",mode:"cors",cache:"no-store",headers:{"content-type":"application/json"},' +
    'body:JSON.stringify({placements:l.map(function(e){var p={zone:e.getAttribute("data-ce-zone")},k=e.getAttribute("data-ce-kw");if(k)p.kw=k.split(",");return p}),exclusions:{campaigns:c,creatives:r}})})' +
    '.then(function(x){return x.ok?x.json():null}).then(function(a){l.forEach(function(e,i){var p=a&&a.placements[i];p?fill(e,p.decision):at(e,"data-ce-filled","x")})},function(){l.forEach(function(e){at(e,"data-ce-filled","x")})}).then(go,go)}' +
    'function fill(e,o){var c,n,m,u;if(!o){at(e,"data-ce-filled","0");return}c=o.creative;' +
    'if(typeof c.html=="string"){n=d.createElement("iframe");at(n,"sandbox","allow-popups allow-popups-to-escape-sandbox");at(n,"srcdoc",H+c.html);at(n,"title",c.alt);at(n,"scrolling","no");n.style.border="0";m=n}' +
    'else{n=d.createElement("a");n.href=o.clickUrl;n.target="_blank";n.rel="noopener";m=new Image;m.src=c.imageUrl;m.alt=c.alt;m.style.border="0";m.style.display="block";n.appendChild(m)}' +
    'm.width=c.width;m.height=c.height;e.appendChild(n);at(e,"data-ce-filled","1");at(e,"data-decision",o.decisionId);S.push({e:e,n:n,c:o.campaignId,r:c.id});' +
    'u=o.impressionUrl+(ceView(m,o.viewUrl)?"?m=1":"");fetch(u,{credentials:"omit",mode:"no-cors",cache:"no-store",keepalive:!0}).catch(function(){new Image().src=u})}' +
    // scan: every unfilled placement is watched once (_ce marks it); refresh also frees emptied ones.
    'function scan(f){[].forEach.call(d.querySelectorAll("ins[data-ce-zone]"),function(e){' +
    'if(f&&e.getAttribute("data-ce-filled")&&!e.firstChild){e.removeAttribute("data-ce-filled");e.removeAttribute("data-decision");e._ce=0}' +
    'if(e._ce||e.getAttribute("data-ce-filled"))return;e._ce=1;io?io.observe(e):q(e)})}' +
    'w.creativeEngine={refresh:function(){scan(1)}};scan();' +
    'w.MutationObserver&&new MutationObserver(function(){scan()}).observe(d.documentElement,{childList:!0,subtree:!0})' +
    '})(window,document);\n'
  );
}
