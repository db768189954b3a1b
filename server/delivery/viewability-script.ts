/**
 * The MRC display viewability rule as one small ES5 function, pasted into the page tag, the zone
 * tag and the iframe page so the rule has a single home:
 *
 *   `ceView(el, url)` watches `el` and, once at least 50 % of its pixels (30 % when it covers
 *   242,500 px or more) have been in view while the tab is visible for one continuous second,
 *   requests `url` once as an image (the iframe page's CSP allows images, not fetch). Leaving view
 *   or the tab hiding restarts the second. It returns false, measuring nothing, where
 *   IntersectionObserver is missing: such a placement is not measurable.
 *
 * Inside a cross-origin iframe IntersectionObserver's implicit root is the top-level viewport, so
 * the iframe page measures what the visitor sees, and its visibilityState follows the top page.
 */
export const VIEWABILITY_JS =
  'function ceView(e,u){' +
  'if(!window.IntersectionObserver)return!1;' +
  'var d=document,r=0,a=0,t=0,o=new IntersectionObserver(function(l){var x=l[l.length-1];r=x.intersectionRatio;a=x.boundingClientRect.width*x.boundingClientRect.height;c()},{threshold:[.3,.5]});' +
  'function c(){if(r>=(a>=242500?.3:.5)&&d.visibilityState=="visible"){t||(t=setTimeout(f,1e3))}else if(t){clearTimeout(t);t=0}}' +
  'function f(){o.disconnect();d.removeEventListener("visibilitychange",c);new Image().src=u}' +
  'd.addEventListener("visibilitychange",c);o.observe(e);return!0}';
