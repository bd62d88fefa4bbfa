/* The article editor's "Search and sharing" panel (blog/panels.py), updated as the editor types.
 *
 * Widths, limits and rules come from blog/serp.py through the panel's JSON config, and the
 * functions below mirror it: fit() is blog.serp.fit, containsPhrase() blog.serp.contains_phrase,
 * cutDescription() blog.seo.plain_description. Nothing here talks to the network.
 */
(() => {
  'use strict';

  const ELLIPSIS = '\u2026';

  function widthOf(text, fontPx, config) {
    let units = 0;
    for (const char of text) units += config.charWidths[char] ?? config.defaultCharWidth;
    return Math.round((units * fontPx) / 100) / 10;
  }

  function squash(text) {
    return (text || '').split(/\s+/).filter(Boolean).join(' ');
  }

  function fit(rawText, limits, config) {
    const text = squash(rawText);
    const width = widthOf(text, limits.fontPx, config);
    const chars = [...text].length;
    if (width <= limits.maxPx) {
      return { text, shown: text, chars, widthPx: width, maxPx: limits.maxPx, truncated: false, cutAt: null };
    }
    const budget = limits.maxPx - widthOf(ELLIPSIS, limits.fontPx, config);
    let used = 0;
    let end = 0;
    const letters = [...text];
    for (let i = 0; i < letters.length; i += 1) {
      used += ((config.charWidths[letters[i]] ?? config.defaultCharWidth) * limits.fontPx) / 1000;
      if (used > budget) break;
      end = i + 1;
    }
    let head = letters.slice(0, end).join('');
    if (head.trim().includes(' ') && end < letters.length && letters[end] !== ' ') {
      head = head.slice(0, head.lastIndexOf(' '));
    }
    head = head.replace(/[ ,;:.\-\u2013\u2014]+$/, '');
    return {
      text, shown: head + ELLIPSIS, chars, widthPx: width, maxPx: limits.maxPx, truncated: true, cutAt: [...head].length,
    };
  }

  /* blog.seo.plain_description: the site's own cut of the meta description. */
  function cutDescription(rawText, limit) {
    const value = squash(rawText);
    if (value.length <= limit) return { text: value, cut: false };
    let cut = value.slice(0, limit - 1);
    const space = cut.lastIndexOf(' ');
    if (space > -1) cut = cut.slice(0, space);
    cut = cut.replace(/[ ,;:.-]+$/, '');
    return { text: `${cut}${ELLIPSIS}`, cut: true };
  }

  function words(text) {
    const ascii = (text || '').normalize('NFKD').replace(/[^\x00-\x7f]/g, '').toLowerCase();
    return (ascii.match(/[a-z0-9]+/g) || []).join(' ');
  }

  function containsPhrase(text, phrase) {
    const target = words(phrase);
    return Boolean(target) && ` ${words(text)} `.includes(` ${target} `);
  }

  function field(form, name) {
    const input = form.querySelector(`[name="${name}"]`);
    return input ? input.value : '';
  }

  function draftailText(value) {
    try {
      const state = JSON.parse(value);
      return squash((state.blocks || []).map((block) => block.text).join(' '));
    } catch (error) {
      return '';
    }
  }

  /* The body's blocks in their current order, from the StreamField's form inputs. */
  function bodyTexts(form) {
    const count = parseInt(field(form, 'body-count') || '0', 10);
    const blocks = [];
    for (let i = 0; i < count; i += 1) {
      if (field(form, `body-${i}-deleted`)) continue;
      blocks.push({
        type: field(form, `body-${i}-type`),
        order: parseInt(field(form, `body-${i}-order`) || `${i}`, 10),
        index: i,
      });
    }
    blocks.sort((a, b) => a.order - b.order);
    const headings = [];
    let firstParagraph = '';
    for (const block of blocks) {
      if (block.type === 'heading') headings.push(field(form, `body-${block.index}-value-text`));
      if (block.type === 'paragraph' && !firstParagraph) firstParagraph = draftailText(field(form, `body-${block.index}-value`));
    }
    return { headings, firstParagraph };
  }

  function chosenImage(form, names) {
    for (const name of names) {
      const input = form.querySelector(`input[name="${name}"]`);
      if (!input || !input.value) continue;
      const wrapper = input.closest('[data-field-wrapper], .w-field__wrapper') || input.parentElement;
      const img = wrapper && wrapper.querySelector('img');
      if (img) return img.getAttribute('src');
    }
    return null;
  }

  function counterText(result) {
    let text = `${result.chars} characters · ${Math.round(result.widthPx)} of ${result.maxPx} px`;
    if (result.truncated) text += ` · cut after ${result.cutAt} characters`;
    return text;
  }

  function setup(panel) {
    const config = JSON.parse(document.getElementById('seo-panel-config').textContent);
    const form = panel.closest('form');
    if (!form) return;
    const $ = (selector) => panel.querySelector(selector);
    let warnings = [];

    function update() {
      const seoTitle = squash(field(form, 'seo_title')) || squash(field(form, 'title'));
      const slug = field(form, 'slug');
      const rawDescription = field(form, 'search_description') || field(form, 'excerpt');
      const description = cutDescription(rawDescription, config.descriptionMaxChars);
      const keyphrase = field(form, 'focus_keyphrase');
      const { headings, firstParagraph } = bodyTexts(form);

      const title = fit(`${seoTitle} | ${config.siteName}`, config.title, config);
      const desc = fit(description.text, config.description, config);
      const url = slug ? `${config.urlPrefix}${slug}/` : config.urlPrefix;

      $('[data-seo-url]').textContent = url.replace(/^https?:\/\//, '').replace(/\/$/, '').split('/').join(' › ');
      $('[data-seo-title]').textContent = title.shown;
      $('[data-seo-description]').textContent = desc.shown || 'No description: write an excerpt or a search description.';
      $('[data-seo-title-count]').textContent = counterText(title);
      $('[data-seo-description-count]').textContent = counterText(desc);
      const meter = $('[data-seo-title-meter]');
      meter.style.width = `${Math.min(100, (title.widthPx / title.maxPx) * 100)}%`;
      meter.classList.toggle('seo-meter__bar--over', title.truncated);

      const checks = $('[data-seo-checks]');
      checks.replaceChildren();
      $('[data-seo-keyphrase-hint]').hidden = Boolean(words(keyphrase));
      if (words(keyphrase)) {
        const places = {
          title: seoTitle, slug: slug.replace(/-/g, ' '), first_paragraph: firstParagraph, description: description.text,
        };
        for (const check of config.checks) {
          const passed = check.key === 'headings'
            ? headings.some((heading) => containsPhrase(heading, keyphrase))
            : containsPhrase(places[check.key], keyphrase);
          const item = document.createElement('li');
          item.className = `seo-check seo-check--${passed ? 'pass' : 'fail'}`;
          item.dataset.seoCheck = check.key;
          item.textContent = `${passed ? '✓' : '✗'} ${check.label}`;
          checks.append(item);
        }
      }

      const image = chosenImage(form, ['social_image', 'hero_image']);
      const imageBox = $('[data-seo-card-image]');
      if (image) {
        const img = document.createElement('img');
        img.src = image;
        img.alt = '';
        imageBox.replaceChildren(img);
      } else {
        imageBox.replaceChildren(Object.assign(document.createElement('span'), { textContent: 'No image: choose a social or hero image' }));
      }
      $('[data-seo-card-domain]').textContent = config.urlPrefix.replace(/^https?:\/\//, '').split('/')[0];
      $('[data-seo-card-title]').textContent = seoTitle.length > config.socialTitleMaxChars
        ? `${seoTitle.slice(0, config.socialTitleMaxChars - 1)}${ELLIPSIS}` : seoTitle;
      $('[data-seo-card-description]').textContent = description.text.length > config.socialDescriptionMaxChars
        ? `${description.text.slice(0, config.socialDescriptionMaxChars - 1)}${ELLIPSIS}` : description.text;

      warnings = [];
      if (title.truncated) warnings.push(`The title will be cut in search results after ${title.cutAt} characters (it is ${Math.round(title.widthPx)} px wide; about ${title.maxPx} px show).`);
      if (description.cut) warnings.push(`The description is ${squash(rawDescription).length} characters: the site cuts it to ${config.descriptionMaxChars}.`);
      if (desc.truncated) warnings.push(`The description will be cut in search results after ${desc.cutAt} characters.`);
      const list = $('[data-seo-warnings]');
      list.replaceChildren(...warnings.map((text) => Object.assign(document.createElement('li'), { className: 'seo-warning', textContent: text })));
    }

    let timer = null;
    const later = () => { clearTimeout(timer); timer = setTimeout(update, 120); };
    form.addEventListener('input', later);
    form.addEventListener('change', later);
    // Rich text and choosers update their hidden inputs without an input event.
    setInterval(update, 1500);
    update();

    // Before publishing (or submitting to the clinical review, which publishes on approval)
    // a title or description that will be cut, ask once.
    form.addEventListener('click', (event) => {
      const button = event.target.closest('button[name="action-publish"], button[name="action-submit"]');
      if (!button || button.dataset.seoConfirmed) return;
      update();
      if (!warnings.length) return;
      // eslint-disable-next-line no-alert
      if (window.confirm(`${warnings.join('\n')}\n\nPublish anyway?`)) {
        button.dataset.seoConfirmed = 'true';
      } else {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }, true);
  }

  function init() {
    document.querySelectorAll('[data-seo-panel]').forEach(setup);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
